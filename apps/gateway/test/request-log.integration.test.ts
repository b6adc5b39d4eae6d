import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FakeOllama, startFakeOllama } from '@intellicore/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../src/testing.js';
import { createTestClient } from './helpers/trpc-client.js';

/**
 * The request log through a real gateway: every door lands in it with the fields an operator
 * needs (door, key name, model, upstream, status/code, tokens, TTFT, timeline), failures too;
 * the ring keeps the newest REQUEST_LOG_SIZE in order; no key secret and, without LOG_PROMPTS,
 * no prompt or answer.
 */

const USER_KEY = 'sk-reqlog-user-0123456789abcdef';
const ADMIN_KEY = 'sk-reqlog-admin-0123456789abcdef';
let fake: FakeOllama;
let gw: TestGateway;
let withPrompts: TestGateway;

beforeAll(async () => {
  fake = await startFakeOllama();
  const env = { API_KEYS: USER_KEY, ADMIN_API_KEYS: ADMIN_KEY, REQUEST_LOG_SIZE: '100' };
  gw = await startTestGateway({ ollamaUrl: fake.url, env });
  withPrompts = await startTestGateway({
    ollamaUrl: fake.url,
    env: { ...env, LOG_PROMPTS: 'true' },
  });
});
afterAll(async () => {
  await gw?.close();
  await withPrompts?.close();
  await fake?.close();
});

const post = (base: string, path: string, body: unknown, id: string, key = USER_KEY) =>
  fetch(`${base}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${key}`,
      'x-request-id': id,
    },
    body: JSON.stringify(body),
  }).then(async (r) => ({ status: r.status, text: await r.text() }));

const admin = (base: string) => createTestClient(base, ADMIN_KEY);
const chat = (text: string, extra: object = {}) => ({
  model: 'llama3.2',
  messages: [{ role: 'user', content: text }],
  ...extra,
});

describe('request log', () => {
  it('records each door with its timeline, and failed requests with their code', async () => {
    await post(gw.url, '/v1/chat/completions', chat('secret prompt one'), 'rl-openai');
    await post(
      gw.url,
      '/v1/messages',
      chat('secret prompt two', { max_tokens: 10 }),
      'rl-anthropic',
    );
    await post(gw.url, '/api/chat', chat('secret prompt three', { stream: true }), 'rl-ollama');
    await post(gw.url, '/api/v1/chat/embeddings', { input: 'secret prompt four' }, 'rl-rest');
    await post(gw.url, '/v1/chat/completions', chat('x', { model: 'gpt-4o' }), 'rl-refused');
    await post(gw.url, '/v1/chat/completions', { messages: 'nope' }, 'rl-bad');
    await createTestClient(gw.url, USER_KEY).chat.completion.mutate({
      messages: [{ role: 'user', content: 'secret prompt five' }],
    });

    const page = await admin(gw.url).requests.list.query({});
    const byId = new Map(page.items.map((e) => [e.id, e]));
    const openai = byId.get('rl-openai')!;
    expect(openai).toMatchObject({
      door: 'openai',
      route: '/v1/chat/completions',
      operation: 'chat',
      keyName: expect.stringMatching(/^key_/),
      model: 'llama3.2',
      servedModel: 'llama3.2',
      upstream: 'ollama-1',
      status: 200,
      cached: false,
      stream: false,
    });
    expect(openai.promptTokens).toBeGreaterThan(0);
    expect(openai.completionTokens).toBeGreaterThan(0);
    expect(openai.ttftMs).toBeGreaterThan(0);
    expect(openai.timeline.map((s) => s.name)).toEqual([
      'queue',
      'upstream',
      'first_token',
      'done',
    ]);
    const upstream = openai.timeline[1]!;
    expect(upstream.detail).toBe('ollama-1');
    expect(upstream.endMs).toBeGreaterThanOrEqual(upstream.startMs);
    expect(byId.get('rl-anthropic')).toMatchObject({ door: 'anthropic', status: 200 });
    expect(byId.get('rl-ollama')).toMatchObject({ door: 'ollama', stream: true, status: 200 });
    expect(byId.get('rl-rest')).toMatchObject({
      door: 'rest',
      operation: 'embed',
      model: 'nomic-embed-text',
    });
    expect(byId.get('rl-refused')).toMatchObject({ status: 403, code: 'MODEL_NOT_ALLOWED' });
    expect(byId.get('rl-bad')).toMatchObject({ status: 400, code: 'BAD_REQUEST' });
    expect(page.items.some((e) => e.door === 'trpc' && e.operation === 'chat')).toBe(true);
    // Newest first.
    expect(page.items.findIndex((e) => e.id === 'rl-bad')).toBeLessThan(
      page.items.findIndex((e) => e.id === 'rl-openai'),
    );

    // Filters and get.
    const failed = await admin(gw.url).requests.list.query({ code: 'MODEL_NOT_ALLOWED' });
    expect(failed.items.map((e) => e.id)).toEqual(['rl-refused']);
    const doors = await admin(gw.url).requests.list.query({ door: 'anthropic' });
    expect(doors.items.map((e) => e.id)).toEqual(['rl-anthropic']);
    expect(await admin(gw.url).requests.get.query({ id: 'rl-ollama' })).toMatchObject({
      id: 'rl-ollama',
    });

    // Nothing secret: no key, no prompt, no answer.
    const all = JSON.stringify(page);
    expect(all).not.toContain(USER_KEY);
    expect(all).not.toContain(ADMIN_KEY);
    expect(all).not.toContain('secret prompt');
    expect(page.items.every((e) => e.prompt === undefined && e.completion === undefined)).toBe(
      true,
    );
  });

  it('is admin only', async () => {
    await expect(createTestClient(gw.url, USER_KEY).requests.list.query({})).rejects.toMatchObject({
      data: { gatewayCode: 'FORBIDDEN' },
    });
  });

  it('keeps prompt and answer with LOG_PROMPTS=true', async () => {
    await post(withPrompts.url, '/v1/chat/completions', chat('kept prompt'), 'rl-kept');
    const entry = await admin(withPrompts.url).requests.get.query({ id: 'rl-kept' });
    expect(JSON.stringify(entry.prompt)).toContain('kept prompt');
    expect(entry.completion?.length).toBeGreaterThan(0);
    expect(JSON.stringify(entry)).not.toContain(USER_KEY);
  });

  it('keeps the newest REQUEST_LOG_SIZE of 300 requests, in order (10,000: the core test)', async () => {
    for (let i = 0; i < 300; i++) {
      await post(gw.url, '/api/chat', chat(`n${i}`, { stream: false }), `bound-${i}`);
    }
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await admin(gw.url).requests.list.query({
        limit: 30,
        ...(cursor ? { cursor } : {}),
      });
      ids.push(...page.items.map((e) => e.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(ids).toEqual(Array.from({ length: 100 }, (_, k) => `bound-${299 - k}`));
  }, 60_000);
});

describe('request log in the store (REQUEST_LOG_RETENTION)', () => {
  it("lists every replica's requests: one sees what another served", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'reqlog-gw-'));
    const env = {
      API_KEYS: USER_KEY,
      ADMIN_API_KEYS: ADMIN_KEY,
      DATABASE_URL: join(dir, 'gateway.db'),
      REQUEST_LOG_RETENTION: '7d',
    };
    const a = await startTestGateway({ ollamaUrl: fake.url, env });
    const b = await startTestGateway({ ollamaUrl: fake.url, env });
    try {
      await post(a.url, '/api/chat', chat('replica a', { stream: false }), 'replica-a-1');
      await post(b.url, '/v1/chat/completions', chat('replica b'), 'replica-b-1');
      await post(a.url, '/v1/chat/completions', chat('x', { model: 'gpt-4o' }), 'replica-a-2');
      // A lists from the store, so B's request is there too (B flushes within a second).
      await expect
        .poll(async () => (await admin(a.url).requests.list.query({})).items.map((e) => e.id), {
          timeout: 5000,
        })
        .toEqual(['replica-a-2', 'replica-b-1', 'replica-a-1']);
      expect(await admin(a.url).requests.get.query({ id: 'replica-b-1' })).toMatchObject({
        door: 'openai',
        upstream: 'ollama-1',
      });
      const failed = await admin(b.url).requests.list.query({ code: 'MODEL_NOT_ALLOWED' });
      expect(failed.items.map((e) => e.id)).toEqual(['replica-a-2']);
    } finally {
      await a.close();
      await b.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
