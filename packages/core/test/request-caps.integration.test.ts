/**
 * What one request may cost, and what it must look like, decided in core: a real GatewayService
 * → Ollama provider → the fake Ollama over HTTP on 127.0.0.1 (its journal shows what reached the
 * upstream), plus the template service on an in-memory SQLite store.
 */
import { type FakeOllama, startFakeOllama } from '@intellicore/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GatewayError } from '../src/errors.js';
import { MemoryRateLimiter } from '../src/limits/memory-rate-limiter.js';
import { createOllamaUpstreams } from '../src/providers/ollama/upstreams.js';
import type { Caller, RequestContext } from '../src/service/context.js';
import {
  createGatewayService,
  type GatewayServiceWithPool,
} from '../src/service/gateway-service-impl.js';
import { DEFAULT_REQUEST_CAPS } from '../src/service/request-caps.js';
import { createTemplateStore } from '../src/stores/templates/create-template-store.js';
import type { TemplateStore } from '../src/stores/templates/template-store.js';
import { createTemplateService } from '../src/templates/service/template-service.js';
import { drain, rejection } from './ollama-helpers.js';

const USER: Caller = { keyId: 'key_user', admin: false };
const ADMIN: Caller = { keyId: 'key_admin', admin: true };
const as = (caller: Caller): RequestContext => ({ caller, door: 'ollama' });
const hi = [{ role: 'user' as const, content: 'hi' }];

let fake: FakeOllama;
let service: GatewayServiceWithPool;
let store: TemplateStore;

// biome-ignore lint/suspicious/noExplicitAny: journal bodies are arbitrary JSON, read by path
type Json = any;
const upstreamBodies = (path = '/api/chat'): Json[] =>
  fake.journal
    .entries()
    .filter((e) => e.path === path)
    .map((e) => e.body);

const policy = {
  allowedModels: ['llama3.2', 'nomic-embed-text'],
  defaultChatModel: 'llama3.2',
  defaultEmbeddingModel: 'nomic-embed-text',
};

beforeAll(async () => {
  fake = await startFakeOllama();
  service = createGatewayService({
    upstreams: createOllamaUpstreams([fake.url]),
    policy,
    pool: { healthIntervalMs: 60_000 },
  });
  store = await createTemplateStore(':memory:');
});
afterAll(async () => {
  await service?.close();
  await store?.close();
  await fake?.close();
});
beforeEach(() => fake.journal.clear());

function expectFields(error: GatewayError | undefined, paths: string[]) {
  expect(error?.code).toBe('BAD_REQUEST');
  expect(error?.fieldErrors?.map((f) => f.path)).toEqual(paths);
}

describe('caps for ordinary keys (defaults)', () => {
  it('refuses num_ctx 10,000,000 and keep_alive -1 naming each field; nothing reaches the upstream', async () => {
    const request = { messages: hi, options: { num_ctx: 10_000_000 }, keepAlive: -1 };
    const refused = await rejection(service.chat(request, as(USER)));
    expectFields(refused, ['options.num_ctx', 'keepAlive']);
    expect(refused.fieldErrors?.[0]?.message).toBe(
      'must be at most 131072 for a non-admin API key',
    );
    expect(refused.fieldErrors?.[1]?.message).toMatch(/keep loaded forever\) needs an admin/);
    expect(refused.message).toContain('options.num_ctx: must be at most 131072');
    // Streams and generate refuse the same way, before any event.
    const streamed = await drain(service.chatStream(request, as(USER)));
    expect(streamed.items).toEqual([]);
    expectFields(streamed.error, ['options.num_ctx', 'keepAlive']);
    const generated = await rejection(
      service.generate({ prompt: 'x', options: { num_ctx: 200_000 } }, as(USER)),
    );
    expectFields(generated, ['options.num_ctx']);
    const embedded = await rejection(service.embed({ input: 'x', keepAlive: '-1m' }, as(USER)));
    expectFields(embedded, ['keepAlive']);
    expect(upstreamBodies()).toHaveLength(0);
    expect(upstreamBodies('/api/generate')).toHaveLength(0);
    expect(upstreamBodies('/api/embed')).toHaveLength(0);
  });

  it('an admin key is not capped: the same request reaches the upstream unchanged', async () => {
    const request = { messages: hi, options: { num_ctx: 10_000_000 }, keepAlive: -1 };
    await service.chat(request, as(ADMIN));
    const [body] = upstreamBodies();
    expect(body.options).toEqual({ num_ctx: 10_000_000 });
    expect(body.keep_alive).toBe(-1);
  });

  it('keep_alive: finite and at most 30 minutes for a user key', async () => {
    for (const keepAlive of ['31m', '1h', 1801, '-5s']) {
      expectFields(await rejection(service.chat({ messages: hi, keepAlive }, as(USER))), [
        'keepAlive',
      ]);
    }
    const over = await rejection(service.chat({ messages: hi, keepAlive: '1h' }, as(USER)));
    expect(over.fieldErrors?.[0]?.message).toBe('must be at most 30m for a non-admin API key');
    await service.chat({ messages: hi, keepAlive: '30m' }, as(USER));
    await service.chat({ messages: hi, keepAlive: 0 }, as(USER));
    expect(upstreamBodies().map((b) => b.keep_alive)).toEqual(['30m', 0]);
  });

  it('num_predict: between 0 and the cap; none given → the cap goes to Ollama, not to the estimate', async () => {
    expectFields(
      await rejection(service.chat({ messages: hi, options: { num_predict: -1 } }, as(USER))),
      ['options.num_predict'],
    );
    expectFields(
      await rejection(service.chat({ messages: hi, options: { num_predict: 16_385 } }, as(USER))),
      ['options.num_predict'],
    );
    await service.chat({ messages: hi, options: { num_predict: 16 } }, as(USER));
    await service.chat({ messages: hi, options: { temperature: 0 } }, as(USER));
    await service.chat({ messages: hi }, as(ADMIN));
    expect(upstreamBodies().map((b) => b.options)).toEqual([
      { num_predict: 16 },
      { temperature: 0, num_predict: DEFAULT_REQUEST_CAPS.maxNumPredict },
      undefined,
    ]);
  });

  it('the bound added for Ollama does not inflate the rate limiter token estimate', async () => {
    const limited = createGatewayService({
      upstreams: createOllamaUpstreams([fake.url]),
      policy,
      pool: { healthIntervalMs: 60_000 },
      // 1,000 tokens a minute: less than the 16,384 sent upstream as num_predict.
      limiter: new MemoryRateLimiter({
        policy: { defaults: { requestsPerMinute: null, tokensPerMinute: 1_000 } },
      }),
    });
    try {
      const answer = await limited.chat({ messages: hi }, as(USER));
      expect(answer.done).toBe(true);
      expect(upstreamBodies().at(-1)?.options).toEqual({ num_predict: 16_384 });
    } finally {
      await limited.close();
    }
  });

  it('load options (they reload the model for everyone) need an admin key', async () => {
    const refused = await rejection(
      service.chat({ messages: hi, options: { num_gpu: 0, num_thread: 64 } }, as(USER)),
    );
    expectFields(refused, ['options.num_gpu', 'options.num_thread']);
    expect(refused.fieldErrors?.[0]?.message).toBe(
      'needs an admin API key (it reloads the model for every caller)',
    );
    await service.chat({ messages: hi, options: { num_gpu: 0 } }, as(ADMIN));
    expect(upstreamBodies()[0]?.options).toEqual({ num_gpu: 0 });
  });
});

describe('configured caps', () => {
  it('the service takes its caps from options; a key may carry its own (keys in a store, later)', async () => {
    const strict = createGatewayService({
      upstreams: createOllamaUpstreams([fake.url]),
      policy,
      pool: { healthIntervalMs: 60_000 },
      caps: { maxNumCtx: 4096, maxNumPredict: 0, maxKeepAliveMs: 60_000 },
    });
    try {
      const over = await rejection(
        strict.chat({ messages: hi, options: { num_ctx: 8192 }, keepAlive: '2m' }, as(USER)),
      );
      expectFields(over, ['options.num_ctx', 'keepAlive']);
      expect(over.fieldErrors?.map((f) => f.message)).toEqual([
        'must be at most 4096 for a non-admin API key',
        'must be at most 1m for a non-admin API key',
      ]);
      // maxNumPredict 0 = no cap: -1 passes and nothing is added.
      await strict.chat({ messages: hi, options: { num_predict: -1 } }, as(USER));
      expect(upstreamBodies().at(-1)?.options).toEqual({ num_predict: -1 });
      // A key with its own, larger num_ctx cap.
      const roomy: Caller = { keyId: 'key_roomy', admin: false, caps: { maxNumCtx: 16_384 } };
      await strict.chat({ messages: hi, options: { num_ctx: 8192 } }, as(roomy));
      expect(upstreamBodies().at(-1)?.options).toEqual({ num_ctx: 8192 });
    } finally {
      await strict.close();
    }
  });
});

describe('one options schema and well-formed input, for every caller', () => {
  it('refuses out-of-bounds options, bad durations and deep structures (admin keys too)', async () => {
    const bad = await rejection(
      service.chat(
        { messages: hi, options: { temperature: 3, top_p: 1.5, stop: 'x' as never } },
        as(ADMIN),
      ),
    );
    expectFields(bad, ['options.temperature', 'options.top_p', 'options.stop']);
    expect(bad.fieldErrors?.[0]?.message).toMatch(/<=2/);
    const badDuration = await rejection(
      service.chat({ messages: hi, keepAlive: 'forever' }, as(ADMIN)),
    );
    expectFields(badDuration, ['keepAlive']);

    let deep: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 100; i++) deep = { type: 'object', properties: { x: deep } };
    const tooDeep = await rejection(service.chat({ messages: hi, format: deep }, as(ADMIN)));
    expectFields(tooDeep, ['format']);
    expect(tooDeep.fieldErrors?.[0]?.message).toBe('is nested more than 64 levels deep');
    const deepTool = await rejection(
      service.chat(
        {
          messages: hi,
          tools: [{ type: 'function', function: { name: 'f', parameters: deep } }],
        },
        as(ADMIN),
      ),
    );
    expectFields(deepTool, ['tools.0']);
    expect(upstreamBodies()).toHaveLength(0);
  });
});

describe('templates: stored options and caller overrides go through the same caps', () => {
  it('a user key cannot run a template whose options exceed the caps; an admin can', async () => {
    const templates = createTemplateService({ store, gateway: service });
    await templates.create(
      { id: 'huge-context', name: 'Huge', template: 'Summarise.', options: { num_ctx: 500_000 } },
      as(ADMIN),
    );
    const refused = await rejection(templates.renderAndChat({ id: 'huge-context' }, as(USER)));
    expectFields(refused, ['options.num_ctx']);
    const override = await rejection(
      templates.renderAndChat(
        { id: 'huge-context', options: { num_ctx: 1024 }, keepAlive: -1 },
        as(USER),
      ),
    );
    expectFields(override, ['keepAlive']);
    expect(upstreamBodies()).toHaveLength(0);
    const ran = await templates.renderAndChat({ id: 'huge-context' }, as(ADMIN));
    expect(ran.result.done).toBe(true);
    expect(upstreamBodies()[0]?.options).toEqual({ num_ctx: 500_000 });
    // The same schema bounds template writes: temperature 5 is refused for admins too.
    const badWrite = await rejection(
      templates.create(
        { id: 'too-hot', name: 'Hot', template: 'x', options: { temperature: 5 } },
        as(ADMIN),
      ),
    );
    expectFields(badWrite, ['options.temperature']);
  });
});
