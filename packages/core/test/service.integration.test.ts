// Starts real fake-Ollama HTTP servers on 127.0.0.1 behind the full gateway service.
import { type FakeOllama, fakeChatReply, startFakeOllama } from '@intellicore/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MemoryResponseCache } from '../src/cache/memory-response-cache.js';
import { MemoryRateLimiter } from '../src/limits/memory-rate-limiter.js';
import { createOllamaUpstreams } from '../src/providers/ollama/upstreams.js';
import type { RequestContext } from '../src/service/context.js';
import {
  createGatewayService,
  type GatewayServiceWithPool,
} from '../src/service/gateway-service-impl.js';
import type { QuotaSnapshot, UsageRecord, UsageSink } from '../src/service/hooks.js';
import { drain, rejection } from './ollama-helpers.js';

let fakes: FakeOllama[];
let service: GatewayServiceWithPool;
const ctx = (over: Partial<RequestContext> = {}): RequestContext => ({
  caller: { keyId: 'key_a', admin: false },
  door: 'openai',
  ...over,
});
const policy = {
  allowedModels: ['llama3.2', 'llama3.2:1b', 'nomic-embed-text', 'not-pulled'],
  aliases: { fast: 'llama3.2:1b' },
  defaultChatModel: 'llama3.2',
  defaultEmbeddingModel: 'nomic-embed-text',
};
const user = (content: string) => [{ role: 'user' as const, content }];
const modelCalls = () =>
  fakes
    .flatMap((f) => f.journal.entries())
    .filter((e) => /\/api\/(chat|generate|embed|show|pull|delete)$/.test(e.path));

beforeAll(async () => {
  fakes = await Promise.all([startFakeOllama(), startFakeOllama()]);
  service = createGatewayService({
    upstreams: createOllamaUpstreams(
      fakes.map((f) => f.url),
      { timeoutMs: 5_000 },
    ),
    policy,
    pool: { healthIntervalMs: 60_000 },
  });
});
afterAll(async () => {
  await service.close();
  await Promise.all(fakes.map((f) => f.close()));
});
beforeEach(() => {
  for (const f of fakes) {
    f.journal.clear();
    f.faults.clear();
  }
});

describe('model policy on every operation', () => {
  it('refuses a model outside the allow-list with MODEL_NOT_ALLOWED before any upstream call', async () => {
    const c = ctx();
    // pull and delete need the admin scope first (see authorization.integration.test.ts).
    const admin = ctx({ caller: { keyId: 'key_admin', admin: true } });
    const refusals = [
      rejection(service.chat({ model: 'mistral', messages: user('x') }, c)),
      drain(service.chatStream({ model: 'mistral', messages: user('x') }, c)).then((r) => r.error),
      rejection(service.generate({ model: 'mistral', prompt: 'x' }, c)),
      drain(service.generateStream({ model: 'mistral', prompt: 'x' }, c)).then((r) => r.error),
      rejection(service.embed({ model: 'mistral', input: 'x' }, c)),
      rejection(service.showModel('mistral', c)),
      drain(service.pullModel('mistral', admin)).then((r) => r.error),
      rejection(service.deleteModel('mistral', admin)),
    ];
    for (const error of await Promise.all(refusals)) expect(error?.code).toBe('MODEL_NOT_ALLOWED');
    expect(modelCalls()).toHaveLength(0);
  });

  it('applies defaults and aliases; name ≡ name:latest', async () => {
    await service.chat({ messages: user('hi') }, ctx());
    await service.chat({ model: 'fast', messages: user('hi') }, ctx());
    await service.chat({ model: 'llama3.2:latest', messages: user('hi') }, ctx());
    await service.embed({ input: 'hi' }, ctx());
    expect(
      modelCalls()
        .map((e) => e.model)
        .sort(),
    ).toEqual(['llama3.2', 'llama3.2:1b', 'llama3.2:latest', 'nomic-embed-text']);
  });

  it('lists only allowed models of the catalogue, with who has them; and the policy itself', async () => {
    const models = await service.listModels(ctx());
    expect(models.map((m) => m.name).sort()).toEqual([
      'llama3.2:1b',
      'llama3.2:latest',
      'nomic-embed-text:latest',
    ]);
    expect(models[0]?.upstreams).toHaveLength(2);
    const { allowedModels, ...rest } = policy;
    expect(service.allowedModels()).toEqual({ ...rest, models: allowedModels });
    fakes[0]?.setLoaded(['llama3.2', 'mistral']);
    fakes[1]?.setLoaded([]);
    const running = await service.runningModels(ctx());
    expect(running.map((m) => [m.name, m.upstream])).toEqual([['llama3.2:latest', 'ollama-1']]);
    expect((await service.showModel('llama3.2', ctx())).details.family).toBe('llama');
    expect((await rejection(service.showModel('not-pulled', ctx()))).code).toBe('MODEL_NOT_FOUND');
  });
});

describe('results', () => {
  it('record the upstream and time to first token, streamed or not', async () => {
    // Upstreams are shown by name (`ollama-<n>`), never by URL.
    const ids = ['ollama-1', 'ollama-2'];
    const chat = await service.chat({ messages: user('hello') }, ctx());
    expect(chat.message.content).toBe(fakeChatReply(user('hello'), 'llama3.2'));
    expect(ids).toContain(chat.upstream);
    expect(chat.ttftMs).toBeGreaterThan(0);
    const generated = await service.generate({ prompt: 'hello' }, ctx());
    expect(ids).toContain(generated.upstream);
    expect(generated.ttftMs).toBeGreaterThan(0);
    const { items } = await drain(service.chatStream({ messages: user('hello') }, ctx()));
    const final = items.at(-1);
    expect(final?.done).toBe(true);
    expect(final?.done && final.upstream).toBeTruthy();
    expect(final?.done && final.ttftMs).toBeGreaterThan(0);
    const gen = await drain(service.generateStream({ prompt: 'hello' }, ctx()));
    expect(gen.items.map((e) => e.response).join('')).toBe(generated.response);
    const embedded = await service.embed({ input: ['a', 'b'] }, ctx());
    expect(ids).toContain(embedded.upstream);
  });

  it('a cancelled service call reaches the upstream and answers CANCELLED', async () => {
    for (const f of fakes) f.faults.set({ path: '/api/chat', delayBeforeHeadersMs: 2_000 });
    const controller = new AbortController();
    const pending = service.chat({ messages: user('slow') }, ctx({ signal: controller.signal }));
    const entry = await Promise.race(
      fakes.map((f) => f.journal.waitFor((e) => e.path === '/api/chat', 1_000)),
    );
    expect(entry.path).toBe('/api/chat');
    controller.abort();
    expect((await rejection(pending)).code).toBe('CANCELLED');
  });
});

describe('health', () => {
  it('is ready with a healthy upstream and reports each one', async () => {
    const report = await service.health();
    expect(report.ready).toBe(true);
    expect(report.upstreams.map((u) => [u.kind, u.healthy, u.version !== undefined])).toEqual([
      ['ollama', true, true],
      ['ollama', true, true],
    ]);
  });

  it('is not ready without a usable upstream or with the store down', async () => {
    const gone = await startFakeOllama();
    await gone.close();
    const lonely = createGatewayService({ upstreams: createOllamaUpstreams([gone.url]), policy });
    const down = createGatewayService({
      upstreams: createOllamaUpstreams([fakes[0]!.url]),
      policy,
      storeHealth: async () => ({ ok: false, error: 'database is down' }),
    });
    try {
      const report = await lonely.health();
      expect(report.ready).toBe(false);
      expect(report.upstreams[0]?.lastError).toMatch(/unreachable/);
      expect((await rejection(lonely.chat({ messages: user('x') }, ctx()))).code).toBe(
        'UPSTREAM_UNAVAILABLE',
      );
      expect(await down.health()).toMatchObject({
        ready: false,
        store: { ok: false, error: 'database is down' },
      });
    } finally {
      await Promise.all([lonely.close(), down.close()]);
    }
  });
});

describe('pipeline hooks', () => {
  it('rate limit, cache and usage apply around the provider call', async () => {
    const records: UsageRecord[] = [];
    const usage: UsageSink = {
      record: (r) => records.push(r),
      flush: async () => {},
      close: async () => {},
    };
    const hooked = createGatewayService({
      upstreams: createOllamaUpstreams([fakes[0]!.url]),
      policy,
      limiter: new MemoryRateLimiter({
        policy: { defaults: { requestsPerMinute: 2, tokensPerMinute: null } },
      }),
      cache: new MemoryResponseCache({ maxBytes: 1_000_000 }),
      usage,
    });
    try {
      const quotas: QuotaSnapshot[] = [];
      const c = ctx({ onQuota: (q) => quotas.push(q) });
      const request = { messages: user('cache me'), options: { temperature: 0 } };
      const first = await hooked.chat(request, c);
      const second = await hooked.chat(request, c);
      expect(second.cached).toBe(true);
      expect(second.message).toEqual(first.message);
      const replay = await drain(
        hooked.chatStream(request, ctx({ caller: { keyId: 'key_b', admin: false } })),
      );
      expect(replay.items.at(-1)?.done).toBe(true);
      expect(fakes[0]?.journal.entries().filter((e) => e.path === '/api/chat')).toHaveLength(2); // key_b has its own cache
      expect(quotas.map((q) => q.requestsRemaining)).toEqual([1, 0]);
      const limited = await rejection(hooked.chat(request, c));
      expect(limited.code).toBe('RATE_LIMITED');
      expect(limited.retryAfterSeconds).toBeGreaterThan(0);
      expect(records.map((r) => [r.keyId, r.status, r.cached])).toEqual([
        ['key_a', 'ok', false],
        ['key_a', 'ok', true],
        ['key_b', 'ok', false],
      ]);
      expect(records[0]).toMatchObject({
        operation: 'chat',
        model: 'llama3.2',
        door: 'openai',
        upstream: 'ollama-1',
      });
      expect(records[0]?.completionTokens).toBeGreaterThan(0);
      expect(records[0]?.ttftMs).toBeGreaterThan(0);
    } finally {
      await hooked.close();
    }
  });
});
