import { type FakeOllama, fakeChatReply, startFakeOllama } from '@intellicore/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../src/testing.js';
import {
  collect,
  createTestClient,
  errorData,
  failureOf,
  type TestClient,
} from './helpers/trpc-client.js';

// Every error code the gateway emits today, as the real tRPC client sees it (data.gatewayCode).
let fake: FakeOllama;
let gw: TestGateway;
let client: TestClient;

beforeAll(async () => {
  fake = await startFakeOllama();
  gw = await startTestGateway({ ollamaUrl: fake.url });
  client = createTestClient(gw.url);
});

afterEach(() => fake.faults.clear());

afterAll(async () => {
  await gw?.close();
  await fake?.close();
});

const hello = [{ role: 'user' as const, content: 'hello' }];
const chatCalls = () => fake.journal.entries().filter((e) => e.path === '/api/chat').length;

describe('bad input (BAD_REQUEST naming the field)', () => {
  it('empty messages', async () => {
    const data = await failureOf(client.chat.completion.mutate({ messages: [] }));
    expect(data).toMatchObject({ gatewayCode: 'BAD_REQUEST', httpStatus: 400 });
    expect(data.fieldErrors?.[0]?.path).toBe('messages');
    expect(data.stack).toBeUndefined();
  });

  it('wrong types', async () => {
    const input = { messages: [{ role: 'user', content: 42 }], options: { temperature: 'hot' } };
    // biome-ignore lint/suspicious/noExplicitAny: deliberately wrong input
    const data = await failureOf(client.chat.completion.mutate(input as any));
    const paths = data.fieldErrors?.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['messages.0.content', 'options.temperature']));
  });

  it('an empty embedding input', async () => {
    const data = await failureOf(client.chat.embedBatch.mutate({ inputs: ['ok', ''] }));
    expect(data.fieldErrors?.[0]?.path).toBe('inputs.1');
  });
});

describe('model errors', () => {
  it('MODEL_NOT_ALLOWED for a model outside the allow-list', async () => {
    const data = await failureOf(
      client.chat.completion.mutate({ model: 'gpt-4o', messages: hello }),
    );
    expect(data).toMatchObject({ gatewayCode: 'MODEL_NOT_ALLOWED', httpStatus: 403 });
  });

  it('MODEL_NOT_FOUND for an allowed model no upstream has', async () => {
    const data = await failureOf(
      client.chat.completion.mutate({ model: 'codellama', messages: hello }),
    );
    expect(data).toMatchObject({ gatewayCode: 'MODEL_NOT_FOUND', httpStatus: 404 });
  });
});

describe('upstream errors', () => {
  it('OVERLOADED with retryAfterSeconds when the upstream queue is full', async () => {
    fake.faults.set({ path: '/api/chat', queueFull: true });
    const data = await failureOf(client.chat.completion.mutate({ messages: hello }));
    expect(data).toMatchObject({ gatewayCode: 'OVERLOADED', httpStatus: 503 });
    expect(data.retryAfterSeconds).toBeGreaterThan(0);
  });

  it('UPSTREAM_ERROR when the upstream fails', async () => {
    fake.faults.set({ path: '/api/chat', failStatus: 500, failBody: { error: 'boom' } });
    const data = await failureOf(client.chat.completion.mutate({ messages: hello }));
    expect(data).toMatchObject({ gatewayCode: 'UPSTREAM_ERROR', httpStatus: 502 });
  });

  it('STREAM_INTERRUPTED ends a stream for good (no automatic re-run)', async () => {
    fake.faults.set({ path: '/api/chat', errorAfterChunks: 2, errorMessage: 'gpu fell off' });
    const before = chatCalls();
    const events: unknown[] = [];
    const error = await collect(client.chat.stream.subscribe({ messages: hello }), (e) =>
      events.push(e),
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(errorData(error).gatewayCode).toBe('STREAM_INTERRUPTED');
    expect(events).toHaveLength(2);
    await new Promise((r) => setTimeout(r, 200));
    expect(chatCalls() - before).toBe(1);
  });
});

describe('unreachable and slow upstreams', () => {
  it('UPSTREAM_UNAVAILABLE when no upstream answers', async () => {
    const dead = await startTestGateway({ ollamaUrl: 'http://127.0.0.1:9', waitReady: false });
    try {
      const data = await failureOf(
        createTestClient(dead.url).chat.completion.mutate({ messages: hello }),
      );
      expect(data.gatewayCode).toBe('UPSTREAM_UNAVAILABLE');
      expect(data.httpStatus).toBe(503);
    } finally {
      await dead.close();
    }
  });

  it('UPSTREAM_TIMEOUT when the upstream takes longer than OLLAMA_TIMEOUT', async () => {
    const slow = await startTestGateway({ ollamaUrl: fake.url, env: { OLLAMA_TIMEOUT: '1' } });
    fake.faults.set({ path: '/api/chat', delayBeforeHeadersMs: 1500, times: 1 });
    try {
      const data = await failureOf(
        createTestClient(slow.url).chat.completion.mutate({ messages: hello }),
      );
      expect(data).toMatchObject({ gatewayCode: 'UPSTREAM_TIMEOUT', httpStatus: 504 });
    } finally {
      await slow.close();
    }
  });
});

describe('streams', () => {
  it('a reconnect with lastEventId never re-runs the generation', async () => {
    const before = chatCalls();
    const error = await collect(
      client.chat.stream.subscribe({ messages: hello, lastEventId: 'abc:3' }),
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    const data = errorData(error);
    expect(data.gatewayCode).toBe('STREAM_INTERRUPTED');
    expect(data.details).toEqual({ lastEventId: 'abc:3' });
    expect(chatCalls()).toBe(before);
  });

  it('an EventSource-level reconnect (Last-Event-ID header) is refused the same way', async () => {
    const before = chatCalls();
    const input = encodeURIComponent(JSON.stringify({ messages: hello }));
    const res = await fetch(`${gw.url}/trpc/chat.stream?input=${input}`, {
      headers: { 'last-event-id': 'abc:7' },
    });
    const text = await res.text();
    expect(text).toContain('event: serialized-error');
    expect(text).toContain('STREAM_INTERRUPTED');
    expect(chatCalls()).toBe(before);
  });

  it('aborting chat.stream closes the upstream request', async () => {
    fake.faults.set({ path: '/api/chat', chunkDelayMs: 100 });
    const started = Date.now();
    await new Promise<void>((resolve, reject) => {
      const sub = client.chat.stream.subscribe(
        { messages: [{ role: 'user', content: 'a long story please' }] },
        {
          onData: () => {
            sub.unsubscribe();
            resolve();
          },
          onError: reject,
        },
      );
    });
    const aborted = Date.now();
    const entry = await fake.journal.waitFor(
      (e) => e.path === '/api/chat' && e.startedAt >= started && e.clientClosed,
      2000,
    );
    expect(entry.closedAt! - aborted).toBeLessThan(1000);
  });

  it('50 concurrent streams each get their own complete answer', async () => {
    fake.faults.set({ path: '/api/chat', chunkDelayMs: 2 });
    const runs = Array.from({ length: 50 }, async (_, i) => {
      const messages = [{ role: 'user' as const, content: `question number ${i}` }];
      const events = await collect(client.chat.stream.subscribe({ messages }));
      const last = events.at(-1)!.data;
      if (last.type !== 'done') throw new Error('no done event');
      return [last.result.message.content, fakeChatReply(messages, 'llama3.2')];
    });
    for (const [got, want] of await Promise.all(runs)) expect(got).toBe(want);
  });
});

describe('auth', () => {
  let authed: TestGateway;
  beforeAll(async () => {
    authed = await startTestGateway({
      ollamaUrl: fake.url,
      env: { API_KEYS: 'user-key-1', ADMIN_API_KEYS: 'admin-key-1' },
    });
  });
  afterAll(() => authed?.close());

  it('no key → UNAUTHORIZED, wrong key → UNAUTHORIZED', async () => {
    const none = await failureOf(createTestClient(authed.url).models.list.query());
    expect(none).toMatchObject({ gatewayCode: 'UNAUTHORIZED', httpStatus: 401 });
    const wrong = await failureOf(createTestClient(authed.url, 'nope').models.list.query());
    expect(wrong.gatewayCode).toBe('UNAUTHORIZED');
  });

  it('health stays public; a user key works; admin procedures need an admin key', async () => {
    expect((await createTestClient(authed.url).health.live.query()).status).toBe('ok');
    const user = createTestClient(authed.url, 'user-key-1');
    expect((await user.chat.completion.mutate({ messages: hello })).message.content).toContain(
      'hello',
    );
    const denied = await failureOf(user.models.delete.mutate({ name: 'mistral' }));
    expect(denied).toMatchObject({ gatewayCode: 'FORBIDDEN', httpStatus: 403 });
    const pullError = await collect(user.models.pull.subscribe({ name: 'mistral' })).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(errorData(pullError).gatewayCode).toBe('FORBIDDEN');
    const admin = createTestClient(authed.url, 'admin-key-1');
    const events = await collect(admin.models.pull.subscribe({ name: 'mistral' }));
    expect(events.at(-1)?.status).toBe('success');
  });

  it('subscriptions need a key too', async () => {
    const error = await collect(
      createTestClient(authed.url).chat.stream.subscribe({ messages: hello }),
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(errorData(error).gatewayCode).toBe('UNAUTHORIZED');
  });
});
