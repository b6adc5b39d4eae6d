/**
 * What a user key may do and cost, on every door — tRPC (real client), `/v1` (the official
 * openai client and raw HTTP), `/api` (raw HTTP, Ollama's wire) and the fetch adapter — against
 * a real gateway on loopback in front of the fake Ollama, whose journal shows what reached the
 * upstream. The same requests with an admin key go through.
 */
import { Writable } from 'node:stream';
import {
  createTemplateService,
  createTemplateStore,
  type TemplateStore,
} from '@intellicore/llm-core';
import { type FakeOllama, startFakeOllama } from '@intellicore/testkit';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createFetchHandler, createLogger, type FetchHandler } from '../src/index.js';
import { startTestGateway, type TestGateway } from '../src/testing.js';
import { collect, createTestClient, errorData, failureOf } from './helpers/trpc-client.js';

const USER = 'sk-user-least-privilege';
const ADMIN = 'sk-admin-least-privilege';
const hi = [{ role: 'user' as const, content: 'hi' }];
const HUGE = { options: { num_ctx: 10_000_000 }, keepAlive: -1 };

let fake: FakeOllama;
let gw: TestGateway;
let store: TemplateStore;
let edge: FetchHandler;
const edgeLog: Array<Record<string, unknown>> = [];

// biome-ignore lint/suspicious/noExplicitAny: journal bodies are arbitrary JSON, read by path
type Json = any;
const upstream = (path: string): Json[] =>
  fake.journal
    .entries()
    .filter((e) => e.path === path)
    .map((e) => e.body);

const http = (path: string, key: string, body?: unknown, method = body ? 'POST' : 'GET') =>
  fetch(`${gw.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

/** One tRPC mutation through the fetch adapter (plain JSON body, superjson envelope). */
const viaEdge = (procedure: string, key: string, input: unknown) =>
  edge(
    new Request(`http://edge.local/trpc/${procedure}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(input),
    }),
  );

/** One tRPC query through the fetch adapter (input in the URL). */
const queryEdge = (procedure: string, key: string, input: unknown) =>
  edge(
    new Request(
      `http://edge.local/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`,
      { headers: { authorization: `Bearer ${key}` } },
    ),
  );

/** Code, status and message of a failed tRPC call. */
async function refusal(promise: Promise<unknown>): Promise<[string, number, string]> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  const data = errorData(error);
  return [data.gatewayCode, data.httpStatus, (error as Error).message];
}

beforeAll(async () => {
  fake = await startFakeOllama();
  gw = await startTestGateway({
    ollamaUrl: fake.url,
    env: { API_KEYS: USER, ADMIN_API_KEYS: ADMIN, MAX_BODY_BYTES: '65536' },
  });
  store = await createTemplateStore(':memory:');
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n')) if (line) edgeLog.push(JSON.parse(line));
      done();
    },
  });
  edge = createFetchHandler({
    service: gw.service,
    templates: createTemplateService({ store, gateway: gw.service }),
    apiKeys: [USER],
    adminApiKeys: [ADMIN],
    maxBodyBytes: 4096,
    logger: createLogger('info', sink),
  });
});

afterAll(async () => {
  await gw?.close();
  await store?.close();
  await fake?.close();
});

beforeEach(() => fake.journal.clear());

describe('admin operations: a user key is refused with FORBIDDEN on every door', () => {
  it('tRPC: models.pull, models.delete, template writes, usage.summary', async () => {
    const user = createTestClient(gw.url, USER);
    const pull = await collect(user.models.pull.subscribe({ name: 'mistral' })).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(errorData(pull)).toMatchObject({ gatewayCode: 'FORBIDDEN' });
    expect(errorData(pull).details).toEqual({ operation: 'models.pull' });
    const refusals = await Promise.all([
      refusal(user.models.delete.mutate({ name: 'mistral' })),
      refusal(user.templates.create.mutate({ id: 'x-1', name: 'X', template: 'x' })),
      refusal(user.templates.update.mutate({ id: 'x-1', template: 'y' })),
      refusal(user.templates.delete.mutate({ id: 'x-1' })),
      refusal(user.templates.setLabel.mutate({ id: 'x-1', version: 1, label: 'production' })),
      refusal(user.usage.summary.query({ groupBy: 'key' })),
    ]);
    expect(refusals).toEqual([
      ['FORBIDDEN', 403, 'models.delete needs an admin API key'],
      ['FORBIDDEN', 403, 'templates.create needs an admin API key'],
      ['FORBIDDEN', 403, 'templates.update needs an admin API key'],
      ['FORBIDDEN', 403, 'templates.delete needs an admin API key'],
      ['FORBIDDEN', 403, 'templates.setLabel needs an admin API key'],
      ['FORBIDDEN', 403, 'usage.summary needs an admin API key'],
    ]);
    expect([...upstream('/api/pull'), ...upstream('/api/delete')]).toEqual([]);
  });

  it('/api: pull and delete answer 403 in Ollama’s shape, refused by core', async () => {
    const pull = await http('/api/pull', USER, { model: 'mistral' });
    expect(pull.status).toBe(403);
    expect(await pull.json()).toEqual({
      error: 'models.pull needs an admin API key',
      code: 'FORBIDDEN',
    });
    const del = await http('/api/delete', USER, { model: 'mistral' }, 'DELETE');
    expect(del.status).toBe(403);
    expect(await del.json()).toEqual({
      error: 'models.delete needs an admin API key',
      code: 'FORBIDDEN',
    });
    expect([...upstream('/api/pull'), ...upstream('/api/delete')]).toEqual([]);
  });

  it('the fetch adapter: models.delete, templates.create, usage.summary', async () => {
    for (const [procedure, input, call] of [
      ['models.delete', { name: 'mistral' }, viaEdge],
      ['templates.create', { id: 'e-1', name: 'E', template: 'x' }, viaEdge],
      ['usage.summary', { groupBy: 'key' }, queryEdge],
    ] as const) {
      const res = await call(procedure, USER, input);
      expect(res.status, procedure).toBe(403);
      const body = await res.json();
      expect(body.error.data.gatewayCode).toBe('FORBIDDEN');
      expect(body.error.message).toBe(`${procedure} needs an admin API key`);
    }
    expect(upstream('/api/delete')).toEqual([]);
  });

  it('an admin key runs them: /api delete, tRPC pull back, template write on the fetch adapter', async () => {
    expect((await http('/api/delete', ADMIN, { model: 'mistral' }, 'DELETE')).status).toBe(200);
    expect(upstream('/api/delete')).toHaveLength(1);
    const admin = createTestClient(gw.url, ADMIN);
    const events = await collect(admin.models.pull.subscribe({ name: 'mistral' }));
    expect(events.at(-1)?.status).toBe('success');
    const created = await viaEdge('templates.create', ADMIN, {
      id: 'edge-made',
      name: 'Edge',
      template: 'Hello',
    });
    expect(created.status).toBe(200);
    expect((await created.json()).result.data).toMatchObject({ id: 'edge-made', version: 1 });
  });
});

describe('caps of a user key, on every door (admin keys are not capped)', () => {
  const capFields = ['options.num_ctx', 'keepAlive'];

  it('tRPC: chat, stream, generate, embed and renderAndChat refuse num_ctx 10M / keep_alive -1', async () => {
    const user = createTestClient(gw.url, USER);
    const chat = await failureOf(user.chat.completion.mutate({ messages: hi, ...HUGE }));
    expect(chat).toMatchObject({ gatewayCode: 'BAD_REQUEST', httpStatus: 400 });
    expect(chat.fieldErrors?.map((f) => f.path)).toEqual(capFields);
    expect(chat.fieldErrors?.[0]?.message).toBe('must be at most 131072 for a non-admin API key');
    const stream = await collect(user.chat.stream.subscribe({ messages: hi, ...HUGE })).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(errorData(stream).fieldErrors?.map((f) => f.path)).toEqual(capFields);
    const generate = await failureOf(user.chat.generate.mutate({ prompt: 'x', keepAlive: '2h' }));
    expect(generate.fieldErrors).toEqual([
      { path: 'keepAlive', message: 'must be at most 30m for a non-admin API key' },
    ]);
    const embed = await failureOf(user.chat.embed.mutate({ input: 'x', keepAlive: -1 }));
    expect(embed.fieldErrors?.map((f) => f.path)).toEqual(['keepAlive']);
    await createTestClient(gw.url, ADMIN).templates.create.mutate({
      id: 'caps-demo',
      name: 'Caps',
      template: 'Say hi',
    });
    const rendered = await failureOf(
      user.templates.renderAndChat.mutate({ id: 'caps-demo', options: { num_ctx: 10_000_000 } }),
    );
    expect(rendered.fieldErrors?.map((f) => f.path)).toEqual(['options.num_ctx']);
    expect([
      ...upstream('/api/chat'),
      ...upstream('/api/generate'),
      ...upstream('/api/embed'),
    ]).toEqual([]);
  });

  it('/api: chat, generate and embed answer 400 naming the Ollama field', async () => {
    const chat = await http('/api/chat', USER, {
      model: 'llama3.2',
      messages: hi,
      stream: false,
      options: { num_ctx: 10_000_000 },
      keep_alive: -1,
    });
    expect(chat.status).toBe(400);
    const body = await chat.json();
    expect(body.code).toBe('BAD_REQUEST');
    expect(body.error).toContain('options.num_ctx: must be at most 131072 for a non-admin API key');
    expect(body.error).toContain('keep_alive: a negative keep_alive (keep loaded forever) needs');
    // The streaming default refuses before the first line, with a real status.
    const streamed = await http('/api/generate', USER, {
      model: 'llama3.2',
      prompt: 'x',
      keep_alive: '1h',
    });
    expect(streamed.status).toBe(400);
    expect((await streamed.json()).error).toBe(
      'keep_alive: must be at most 30m for a non-admin API key',
    );
    const embed = await http('/api/embed', USER, {
      model: 'nomic-embed-text',
      input: 'x',
      keep_alive: -1,
    });
    expect(embed.status).toBe(400);
    expect([
      ...upstream('/api/chat'),
      ...upstream('/api/generate'),
      ...upstream('/api/embed'),
    ]).toEqual([]);
  });

  it('/v1: max_tokens over the cap is a 400 naming max_tokens (official openai client)', async () => {
    const openai = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: USER, maxRetries: 0 });
    const error = await openai.chat.completions
      .create({ model: 'llama3.2', messages: hi, max_tokens: 100_000 })
      .then(
        () => undefined,
        (e: unknown) => e as InstanceType<typeof OpenAI.APIError>,
      );
    expect(error?.status).toBe(400);
    expect(error?.code).toBe('BAD_REQUEST');
    expect(error?.param).toBe('max_tokens');
    expect(error?.message).toContain('max_tokens: must be between 0 and 16384');
    expect(upstream('/api/chat')).toEqual([]);
  });

  it('the fetch adapter refuses the same request with the same error', async () => {
    const res = await viaEdge('chat.completion', USER, { messages: hi, ...HUGE });
    expect(res.status).toBe(400);
    const data = (await res.json()).error.data;
    expect(data.gatewayCode).toBe('BAD_REQUEST');
    expect(data.fieldErrors.map((f: { path: string }) => f.path)).toEqual(capFields);
    expect(upstream('/api/chat')).toEqual([]);
  });

  it('an admin key sends num_ctx 10M and keep_alive -1 upstream unchanged; a user key gets num_predict bounded', async () => {
    const admin = await http('/api/chat', ADMIN, {
      model: 'llama3.2',
      messages: hi,
      stream: false,
      options: { num_ctx: 10_000_000 },
      keep_alive: -1,
    });
    expect(admin.status).toBe(200);
    await createTestClient(gw.url, ADMIN).chat.completion.mutate({ messages: hi, ...HUGE });
    await createTestClient(gw.url, USER).chat.completion.mutate({ messages: hi, keepAlive: '5m' });
    expect(upstream('/api/chat').map((b) => [b.options, b.keep_alive])).toEqual([
      [{ num_ctx: 10_000_000 }, -1],
      [{ num_ctx: 10_000_000 }, -1],
      [{ num_predict: 16_384 }, '5m'],
    ]);
  });
});

describe('one options schema: the same bounds on every door and in templates', () => {
  it('temperature 3 is refused by tRPC, /api, /v1, the fetch adapter and template writes', async () => {
    const tooHot = 'Too big: expected number to be <=2';
    const trpc = await failureOf(
      createTestClient(gw.url, ADMIN).chat.completion.mutate({
        messages: hi,
        options: { temperature: 3 },
      }),
    );
    expect(trpc.fieldErrors).toEqual([{ path: 'options.temperature', message: tooHot }]);
    const api = await http('/api/chat', ADMIN, {
      model: 'llama3.2',
      messages: hi,
      options: { temperature: 3 },
    });
    expect(api.status).toBe(400);
    expect((await api.json()).error).toBe(`options.temperature: ${tooHot}`);
    const v1 = await http('/v1/chat/completions', ADMIN, {
      model: 'llama3.2',
      messages: hi,
      temperature: 3,
    });
    expect(v1.status).toBe(400);
    expect((await v1.json()).error).toMatchObject({
      param: 'temperature',
      message: `temperature: ${tooHot}`,
    });
    const edgeRes = await viaEdge('chat.completion', ADMIN, {
      messages: hi,
      options: { temperature: 3 },
    });
    expect((await edgeRes.json()).error.data.fieldErrors).toEqual([
      { path: 'options.temperature', message: tooHot },
    ]);
    const template = await failureOf(
      createTestClient(gw.url, ADMIN).templates.create.mutate({
        id: 'too-hot',
        name: 'Hot',
        template: 'x',
        options: { temperature: 3 },
      }),
    );
    expect(template.fieldErrors).toEqual([{ path: 'options.temperature', message: tooHot }]);
    // A known Ollama option of the wrong type is a 400 here, not Ollama's 500 upstream.
    const typed = await http('/api/chat', ADMIN, {
      model: 'llama3.2',
      messages: hi,
      options: { num_thread: 'many' },
    });
    expect(typed.status).toBe(400);
    expect((await typed.json()).error).toMatch(/^options\.num_thread: /);
    expect(upstream('/api/chat')).toEqual([]);
  });
});

describe('the fetch adapter has the node server’s body limit, request log and metrics', () => {
  it('413 past maxBodyBytes; one log line per request; request metrics by procedure', async () => {
    const big = await viaEdge('chat.completion', USER, {
      messages: [{ role: 'user', content: 'x'.repeat(8192) }],
    });
    expect(big.status).toBe(413);
    const bigBody = await big.json();
    expect(bigBody.error.data.gatewayCode).toBe('PAYLOAD_TOO_LARGE');
    expect(upstream('/api/chat')).toEqual([]);

    const ok = await viaEdge('chat.completion', USER, { messages: hi });
    expect(ok.status).toBe(200);
    const requestId = ok.headers.get('x-request-id');
    expect(requestId).toBeTruthy();
    await ok.json();
    const line = edgeLog.find((l) => l.reqId === requestId);
    expect(line).toMatchObject({
      route: 'trpc:chat.completion',
      status: 200,
      model: 'llama3.2',
      upstream: 'ollama-1',
      msg: 'request',
    });
    expect(JSON.stringify(edgeLog)).not.toContain(USER);
    const tooLarge = edgeLog.find((l) => l.status === 413);
    expect(tooLarge).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    const metrics = (await edge.metrics.render()).body;
    expect(metrics).toMatch(
      /gateway_requests_total\{route="trpc:chat.completion",status="200"\} 1/,
    );
    expect(metrics).toMatch(
      /gateway_requests_total\{route="trpc:chat.completion",status="PAYLOAD_TOO_LARGE"\} 1/,
    );
    expect(metrics).toMatch(/gateway_tokens_total\{model="llama3.2",direction="out"\} \d+/);
  });
});
