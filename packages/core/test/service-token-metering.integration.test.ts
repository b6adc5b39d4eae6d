// Starts a real fake-Ollama HTTP server on 127.0.0.1 behind the full gateway service with a
// memory rate limiter: streamed tokens are charged as they flow, and a failed or cancelled
// request pays for what it produced (prompt estimate + one token per delta).
import { type FakeOllama, startFakeOllama } from '@intellicore/testkit';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { estimateTokens } from '../src/limits/estimate-tokens.js';
import { MemoryRateLimiter } from '../src/limits/memory-rate-limiter.js';
import { createOllamaUpstreams } from '../src/providers/ollama/upstreams.js';
import type { RequestContext } from '../src/service/context.js';
import {
  createGatewayService,
  type GatewayServiceWithPool,
} from '../src/service/gateway-service-impl.js';
import type { QuotaSnapshot, UsageRecord } from '../src/service/hooks.js';
import { drain, rejection } from './ollama-helpers.js';

const BUDGET = 100_000;
let fake: FakeOllama;
let service: GatewayServiceWithPool;
const records: UsageRecord[] = [];
const ctx = (keyId: string): RequestContext => ({
  caller: { keyId, admin: false },
  door: 'ollama',
});
/** A long answer: the fake echoes the prompt, one word per delta. */
const longRequest = { messages: [{ role: 'user' as const, content: 'a '.repeat(600) }] };
const promptOnly = estimateTokens(longRequest, { completionAllowance: 0 });
const probeRequest = {
  messages: [{ role: 'user' as const, content: 'x' }],
  options: { num_predict: 1 },
};

/** Tokens left for `keyId` as the limiter sees them when it admits a tiny probe request. */
async function tokensLeft(keyId: string): Promise<number> {
  let quota: QuotaSnapshot | undefined;
  await service.chat(probeRequest, { ...ctx(keyId), onQuota: (q) => (quota = q) });
  return (quota?.tokensRemaining ?? Number.NaN) + estimateTokens(probeRequest);
}

beforeAll(async () => {
  fake = await startFakeOllama();
  service = createGatewayService({
    upstreams: createOllamaUpstreams([fake.url]),
    policy: {
      allowedModels: ['llama3.2'],
      defaultChatModel: 'llama3.2',
      defaultEmbeddingModel: 'llama3.2',
    },
    limiter: new MemoryRateLimiter({
      policy: { defaults: { requestsPerMinute: null, tokensPerMinute: BUDGET } },
    }),
    usage: { record: (r) => records.push(r), flush: async () => {}, close: async () => {} },
  });
});
afterAll(async () => {
  await service.close();
  await fake.close();
});
beforeEach(() => {
  fake.faults.clear();
  records.length = 0;
});

it('a long stream is charged while it runs, past its estimate, before it settles', async () => {
  const estimate = estimateTokens(longRequest);
  const stream = service.chatStream(longRequest, ctx('running'))[Symbol.asyncIterator]();
  for (let i = 0; i < 500; i++) expect((await stream.next()).value?.done).toBe(false);
  // 500 deltas + the prompt already exceed the estimate: the budget shows them, unsettled.
  expect(promptOnly + 500).toBeGreaterThan(estimate);
  expect(BUDGET - (await tokensLeft('running'))).toBeGreaterThanOrEqual(promptOnly + 500);
  await stream.return?.(undefined);
});

it('a stream the consumer abandons pays the prompt and the deltas it received', async () => {
  let received = 0;
  for await (const event of service.chatStream(longRequest, ctx('leaver'))) {
    expect(event.done).toBe(false);
    if (++received === 300) break;
  }
  expect(BUDGET - (await tokensLeft('leaver'))).toBe(promptOnly + 300);
  expect(records[0]).toMatchObject({
    status: 'CANCELLED',
    promptTokens: promptOnly,
    completionTokens: 300,
  });
});

it('a request that fails mid-answer pays for what was produced (plain and streamed)', async () => {
  fake.faults.set({ path: '/api/chat', errorAfterChunks: 40, times: 1 });
  const plain = await rejection(service.chat(longRequest, ctx('failing')));
  expect(plain.details?.partialText).toBeTruthy();
  expect(BUDGET - (await tokensLeft('failing'))).toBe(promptOnly + 40);
  expect(records[0]).toMatchObject({ promptTokens: promptOnly, completionTokens: 40 });
  expect(records[0]?.status).not.toBe('ok');

  fake.faults.set({ path: '/api/chat', errorAfterChunks: 25, times: 1 });
  const streamed = await drain(service.chatStream(longRequest, ctx('failing-stream')));
  expect(streamed.items).toHaveLength(25);
  expect(streamed.error?.code).toBe(plain.code);
  expect(BUDGET - (await tokensLeft('failing-stream'))).toBe(promptOnly + 25);
});

it('a request that fails before any output is not charged', async () => {
  fake.faults.set({ path: '/api/chat', failStatus: 400, times: 1 });
  await rejection(service.chat(longRequest, ctx('refused')));
  expect(await tokensLeft('refused')).toBe(BUDGET);
  expect(records[0]).toMatchObject({ promptTokens: 0, completionTokens: 0 });
});
