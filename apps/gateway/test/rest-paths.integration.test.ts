import {
  type FakeOllama,
  fakeChatReply,
  fakeEmbedding,
  fakeGenerateReply,
  startFakeOllama,
} from '@intellicore/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REST_ROUTES } from '../src/rest/routes.js';
import { startTestGateway, type TestGateway } from '../src/testing.js';
import { type RestAnswer, rest, sseFrames } from './helpers/rest.js';

// Every path of the REST contract (architecture.md, "REST front: the seed's paths") against the
// fake Ollama, as a plain HTTP caller (Python requests, curl) uses it: a user key for the user
// paths; the admin paths refuse that key with FORBIDDEN and answer an admin key.
let fake: FakeOllama;
let gw: TestGateway;
const USER = 'sk-user';
const ADMIN = 'sk-admin';
const hello = [{ role: 'user', content: 'hello rest' }];

beforeAll(async () => {
  fake = await startFakeOllama();
  gw = await startTestGateway({
    ollamaUrl: fake.url,
    env: { API_KEYS: USER, ADMIN_API_KEYS: ADMIN },
  });
});

afterAll(async () => {
  await gw?.close();
  await fake?.close();
});

const call = (method: string, path: string, key: string, body?: unknown) =>
  rest(gw.url, method, path, { key, ...(body === undefined ? {} : { body }) });

const tried = new Set<string>();
/** Notes which route (method + template) a case covers, for the completeness check. */
function covers(method: string, template: string): void {
  tried.add(`${method} ${template}`);
}

/** Core's refusal, naming the operation the caller may not run. */
function expectForbidden(answer: RestAnswer, operation: string): void {
  expect(answer.status).toBe(403);
  expect(answer.json).toEqual({
    error: {
      code: 'FORBIDDEN',
      message: `${operation} needs an admin API key`,
      details: { operation },
    },
  });
}

describe('user paths answer a user key', () => {
  it('health and readiness (public)', async () => {
    covers('GET', '/api/v1/health');
    const live = await rest(gw.url, 'GET', '/api/v1/health');
    expect(live.status).toBe(200);
    expect(live.json).toMatchObject({ status: 'ok', authRequired: true });
    covers('GET', '/api/v1/health/ready');
    // Without a key: readiness only; with a user key: the upstreams by name and the store.
    const ready = await rest(gw.url, 'GET', '/api/v1/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.json).toEqual({ ready: true, shuttingDown: false });
    const detailed = await call('GET', '/api/v1/health/ready', USER);
    expect(detailed.json).toMatchObject({
      ready: true,
      store: { ok: true },
      upstreams: [{ id: 'ollama-1', healthy: true }],
    });
  });

  it('models: list, one (also a name with a tag), allowed list', async () => {
    covers('GET', '/api/v1/models');
    const list = await call('GET', '/api/v1/models', USER);
    expect(list.status).toBe(200);
    expect(list.json.map((m: { name: string }) => m.name)).toContain('llama3.2:1b');
    covers('GET', '/api/v1/models/{name}');
    const one = await call('GET', '/api/v1/models/llama3.2:1b', USER);
    expect(one.status).toBe(200);
    expect(one.json).toMatchObject({ name: 'llama3.2:1b', details: { family: 'llama' } });
    const encoded = await call('GET', `/api/v1/models/${encodeURIComponent('llama3.2:1b')}`, USER);
    expect(encoded.json.name).toBe('llama3.2:1b');
    covers('GET', '/api/v1/models/allowed/list');
    const allowed = await call('GET', '/api/v1/models/allowed/list', USER);
    expect(allowed.status).toBe(200);
    expect(allowed.json).toMatchObject({ defaultChatModel: 'llama3.2' });
    expect(allowed.json.models).toContain('mistral');
  });

  it('chat completions, plain and streamed', async () => {
    covers('POST', '/api/v1/chat/completions');
    const body = { model: 'llama3.2', messages: hello };
    const plain = await call('POST', '/api/v1/chat/completions', USER, body);
    expect(plain.status).toBe(200);
    expect(plain.json.message).toEqual({
      role: 'assistant',
      content: fakeChatReply(hello, 'llama3.2'),
    });
    expect(plain.json.usage.totalTokens).toBeGreaterThan(0);
    const streamed = await call('POST', '/api/v1/chat/completions', USER, {
      ...body,
      stream: true,
    });
    expect(streamed.status).toBe(200);
    expect(streamed.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(streamed.text).not.toMatch(/^id: /m); // untracked: no reconnect ids
    const frames = sseFrames(streamed.text);
    const deltas = frames.filter((f) => f.data.type === 'delta');
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.map((f) => f.data.content).join('')).toBe(fakeChatReply(hello, 'llama3.2'));
    const last = frames.at(-1)!;
    expect(last.event).toBe('message');
    expect(last.data.type).toBe('done');
    expect(last.data.result.message.content).toBe(fakeChatReply(hello, 'llama3.2'));
    expect(last.data.result.timings.ttftMs).toBeGreaterThan(0);
  });

  it('generate, plain and streamed', async () => {
    covers('POST', '/api/v1/chat/generate');
    const body = { model: 'llama3.2', prompt: 'write a haiku' };
    const plain = await call('POST', '/api/v1/chat/generate', USER, body);
    expect(plain.status).toBe(200);
    expect(plain.json.response).toBe(fakeGenerateReply('write a haiku', 'llama3.2'));
    const streamed = await call('POST', '/api/v1/chat/generate', USER, { ...body, stream: true });
    const frames = sseFrames(streamed.text);
    const text = frames.filter((f) => f.data.type === 'delta').map((f) => f.data.response);
    expect(text.join('')).toBe(fakeGenerateReply('write a haiku', 'llama3.2'));
    expect(frames.at(-1)?.data.type).toBe('done');
  });

  it('embeddings, one and a batch', async () => {
    covers('POST', '/api/v1/chat/embeddings');
    const one = await call('POST', '/api/v1/chat/embeddings', USER, { input: 'vector me' });
    expect(one.status).toBe(200);
    expect(one.json.model).toBe('nomic-embed-text');
    expect(one.json.embedding).toEqual(fakeEmbedding('vector me', 16));
    covers('POST', '/api/v1/chat/embeddings/batch');
    const batch = await call('POST', '/api/v1/chat/embeddings/batch', USER, {
      inputs: ['a', 'b', 'c'],
    });
    expect(batch.status).toBe(200);
    expect(batch.json.embeddings).toHaveLength(3);
  });

  it('validate and suggest-fields (the built-in templates)', async () => {
    covers('POST', '/api/v1/chat/validate');
    const check = await call('POST', '/api/v1/chat/validate', USER, {
      fieldName: 'email',
      value: 'ada@example.com',
    });
    expect(check.status).toBe(200);
    expect(typeof check.json.valid).toBe('boolean');
    expect(typeof check.json.reason).toBe('string');
    covers('POST', '/api/v1/chat/suggest-fields');
    const fields = await call('POST', '/api/v1/chat/suggest-fields', USER, {
      objectType: 'Invoice',
    });
    expect(fields.status).toBe(200);
    expect(Array.isArray(fields.json.fields)).toBe(true);
  });
});

describe('templates', () => {
  const template = {
    id: 'rest-greeting',
    name: 'Greeting',
    template: 'Say hello to <%= it.name %>.',
    variables: [{ name: 'name', type: 'string', required: true }],
    model: 'llama3.2',
  };

  it('list, get (by version), versions of a built-in with a user key', async () => {
    covers('GET', '/api/v1/templates');
    const list = await call('GET', '/api/v1/templates?tag=built-in&limit=4', USER);
    expect(list.status).toBe(200);
    expect(list.json.items).toHaveLength(4);
    expect(list.json.nextCursor).toEqual(expect.any(String));
    const search = await call('GET', '/api/v1/templates?search=validation', USER);
    expect(search.json.items.map((i: { id: string }) => i.id)).toContain('field-validation');
    covers('GET', '/api/v1/templates/{id}');
    const one = await call('GET', '/api/v1/templates/field-validation?version=1', USER);
    expect(one.status).toBe(200);
    expect(one.json).toMatchObject({ id: 'field-validation', version: 1, builtIn: true });
    const byLabel = await call('GET', '/api/v1/templates/field-validation?label=production', USER);
    expect(byLabel.json.version).toBe(1);
    covers('GET', '/api/v1/templates/{id}/versions');
    const versions = await call('GET', '/api/v1/templates/field-validation/versions', USER);
    expect(versions.status).toBe(200);
    expect(versions.json[0]).toMatchObject({ version: 1 });
  });

  it('create, update, render, chat (plain and streamed), delete', async () => {
    covers('POST', '/api/v1/templates');
    expectForbidden(await call('POST', '/api/v1/templates', USER, template), 'templates.create');
    const created = await call('POST', '/api/v1/templates', ADMIN, template);
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ id: 'rest-greeting', version: 1 });

    covers('PUT', '/api/v1/templates/{id}');
    const update = { template: 'Greet <%= it.name %> warmly.', commitMessage: 'warmer' };
    expectForbidden(
      await call('PUT', '/api/v1/templates/rest-greeting', USER, update),
      'templates.update',
    );
    const updated = await call('PUT', '/api/v1/templates/rest-greeting', ADMIN, update);
    expect(updated.status).toBe(200);
    expect(updated.json).toMatchObject({ version: 2, commitMessage: 'warmer' });

    covers('POST', '/api/v1/templates/{id}/render');
    const render = await call('POST', '/api/v1/templates/rest-greeting/render', USER, {
      variables: { name: 'Ada' },
      version: 1,
    });
    expect(render.status).toBe(200);
    expect(render.json).toMatchObject({ prompt: 'Say hello to Ada.', version: 1 });

    covers('POST', '/api/v1/templates/{id}/chat');
    const body = { variables: { name: 'Ada' } };
    const chat = await call('POST', '/api/v1/templates/rest-greeting/chat', USER, body);
    expect(chat.status).toBe(200);
    const sent = [{ role: 'user', content: 'Greet Ada warmly.' }];
    expect(chat.json).toMatchObject({ templateId: 'rest-greeting', version: 2 });
    expect(chat.json.content).toBe(fakeChatReply(sent, 'llama3.2'));
    const streamed = await call('POST', '/api/v1/templates/rest-greeting/chat', USER, {
      ...body,
      stream: true,
    });
    const done = sseFrames(streamed.text).at(-1)?.data;
    expect(done).toMatchObject({ type: 'done', templateId: 'rest-greeting', version: 2 });
    expect(done.content).toBe(fakeChatReply(sent, 'llama3.2'));

    covers('DELETE', '/api/v1/templates/{id}');
    expectForbidden(
      await call('DELETE', '/api/v1/templates/rest-greeting', USER),
      'templates.delete',
    );
    const deleted = await call('DELETE', '/api/v1/templates/rest-greeting', ADMIN);
    expect(deleted.status).toBe(200);
    expect(deleted.json).toMatchObject({ id: 'rest-greeting', deleted: true });
    const gone = await call('GET', '/api/v1/templates/rest-greeting', USER);
    expect(gone.status).toBe(404);
    expect(gone.json.error.code).toBe('TEMPLATE_NOT_FOUND');
  });
});

describe('admin paths refuse a user key and answer an admin key', () => {
  it('pull streams progress, then delete removes the model', async () => {
    covers('POST', '/api/v1/models/pull');
    expectForbidden(
      await call('POST', '/api/v1/models/pull', USER, { name: 'codellama' }),
      'models.pull',
    );
    const pull = await call('POST', '/api/v1/models/pull', ADMIN, { name: 'codellama' });
    expect(pull.status).toBe(200);
    expect(pull.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const events = sseFrames(pull.text).map((f) => f.data);
    expect(events[0]).toEqual({ status: 'pulling manifest' });
    expect(events.at(-1)).toEqual({ status: 'success' });
    expect((await call('GET', '/api/v1/models/codellama', USER)).status).toBe(200);

    covers('DELETE', '/api/v1/models/{name}');
    expectForbidden(await call('DELETE', '/api/v1/models/codellama', USER), 'models.delete');
    const deleted = await call('DELETE', '/api/v1/models/codellama', ADMIN);
    expect(deleted.status).toBe(200);
    expect(deleted.json).toEqual({ name: 'codellama', deleted: true });
    const gone = await call('GET', '/api/v1/models/codellama', USER);
    expect(gone.status).toBe(404);
    expect(gone.json.error.code).toBe('MODEL_NOT_FOUND');
  });

  it('usage summary', async () => {
    covers('GET', '/api/v1/usage/summary');
    expectForbidden(
      await call('GET', '/api/v1/usage/summary?groupBy=model', USER),
      'usage.summary',
    );
    await expect
      .poll(async () => {
        const summary = await call('GET', '/api/v1/usage/summary?groupBy=model', ADMIN);
        expect(summary.status).toBe(200);
        return summary.json.rows.find((r: { group: string }) => r.group === 'llama3.2')?.requests;
      })
      .toBeGreaterThanOrEqual(4);
  });

  it('stored keys: create (the secret once), list, update, revoke', async () => {
    covers('POST', '/api/v1/keys');
    expectForbidden(await call('POST', '/api/v1/keys', USER, { name: 'x' }), 'keys.create');
    const created = await call('POST', '/api/v1/keys', ADMIN, {
      name: 'rest-team',
      models: ['llama3.2'],
      budget: { tokens: 1000, period: 'month' },
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ name: 'rest-team', key: expect.stringMatching(/^ick_/) });
    const { id, key } = created.json as { id: string; key: string };
    const bad = await call('POST', '/api/v1/keys', ADMIN, { name: '', rpm: -1 });
    expect(bad.status).toBe(400);
    expect(bad.json.error.fieldErrors.map((f: { path: string }) => f.path).sort()).toEqual([
      'name',
      'rpm',
    ]);
    // The new key works at once, within its model list.
    const chat = await call('POST', '/api/v1/chat/completions', key, { messages: hello });
    expect(chat.status).toBe(200);

    covers('GET', '/api/v1/keys');
    expectForbidden(await call('GET', '/api/v1/keys', USER), 'keys.list');
    const listed = await call('GET', '/api/v1/keys', ADMIN);
    expect(listed.status).toBe(200);
    expect(listed.json).toEqual([
      expect.objectContaining({ id, name: 'rest-team', active: true, prefix: key.slice(0, 12) }),
    ]);
    expect(listed.text).not.toContain(key);

    covers('PATCH', '/api/v1/keys/{id}');
    expectForbidden(await call('PATCH', `/api/v1/keys/${id}`, USER, { rpm: 5 }), 'keys.update');
    const patched = await call('PATCH', `/api/v1/keys/${id}`, ADMIN, { models: ['mistral'] });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ id, models: ['mistral'] });
    const refused = await call('POST', '/api/v1/chat/completions', key, {
      model: 'llama3.2',
      messages: hello,
    });
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe('MODEL_NOT_ALLOWED');

    covers('DELETE', '/api/v1/keys/{id}');
    expectForbidden(await call('DELETE', `/api/v1/keys/${id}`, USER), 'keys.revoke');
    const revoked = await call('DELETE', `/api/v1/keys/${id}`, ADMIN);
    expect(revoked.status).toBe(200);
    expect(revoked.json.revokedAt).toEqual(expect.any(String));
    expect((await call('GET', '/api/v1/models', key)).status).toBe(401);
    expect((await call('DELETE', '/api/v1/keys/key_000000000000', ADMIN)).status).toBe(404);
  });

  it('request log: list with filters and a cursor, get by id', async () => {
    covers('GET', '/api/v1/requests');
    expectForbidden(await call('GET', '/api/v1/requests', USER), 'requests.list');
    const page = await call('GET', '/api/v1/requests?door=rest&model=llama3.2&limit=2', ADMIN);
    expect(page.status).toBe(200);
    expect(page.json.items).toHaveLength(2);
    expect(page.json.items[0]).toMatchObject({ door: 'rest', model: 'llama3.2' });
    expect(page.json.nextCursor).toMatch(/^\d+$/);
    const next = await call(
      'GET',
      `/api/v1/requests?limit=2&cursor=${page.json.nextCursor}`,
      ADMIN,
    );
    expect(next.status).toBe(200);
    expect(next.json.items[0].id).not.toBe(page.json.items[0].id);

    covers('GET', '/api/v1/requests/{id}');
    const id = page.json.items[0].id as string;
    expectForbidden(await call('GET', `/api/v1/requests/${id}`, USER), 'requests.get');
    const one = await call('GET', `/api/v1/requests/${id}`, ADMIN);
    expect(one.status).toBe(200);
    expect(one.json).toMatchObject({ id, door: 'rest' });
    expect(one.json.timeline.at(-1).name).toBe('done');
    const missing = await call('GET', '/api/v1/requests/no-such-request', ADMIN);
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe('NOT_FOUND');
  });

  it('covers every route of the table', () => {
    expect([...tried].sort()).toEqual(REST_ROUTES.map((r) => `${r.method} ${r.path}`).sort());
  });
});
