import {
  createGatewayService,
  createOllamaUpstreams,
  createRateLimiter,
  type GatewayServiceWithPool,
} from '@intellicore/llm-core';
import { type FakeOllama, startFakeOllama } from '@intellicore/testkit';
import OpenAI from 'openai';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../src/testing.js';
import { createTestClient, failureOf } from './helpers/trpc-client.js';

// The transports' side of rate limiting (the limiter itself is core's): X-RateLimit-* headers,
// RATE_LIMITED with Retry-After on every door.
let fake: FakeOllama;
let service: GatewayServiceWithPool;
let gw: TestGateway;

beforeAll(async () => {
  fake = await startFakeOllama();
  service = createGatewayService({
    upstreams: createOllamaUpstreams([fake.url]),
    policy: { defaultChatModel: 'llama3.2', defaultEmbeddingModel: 'nomic-embed-text' },
    limiter: createRateLimiter({
      policy: { defaults: { requestsPerMinute: 3, tokensPerMinute: null }, overrides: {} },
    }),
  });
  gw = await startTestGateway({ ollamaUrl: fake.url, service, env: { API_KEYS: 'k1' } });
});

afterAll(async () => {
  await gw?.close();
  await service?.close();
  await fake?.close();
});

it('quota headers, then RATE_LIMITED with Retry-After on tRPC, /v1 and /api', async () => {
  const body = JSON.stringify({ model: 'llama3.2', messages: [{ role: 'user', content: 'x' }] });
  const headers = { authorization: 'Bearer k1', 'content-type': 'application/json' };
  const ok = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers, body });
  expect(ok.status).toBe(200);
  expect(ok.headers.get('x-ratelimit-limit-requests')).toBe('3');
  expect(ok.headers.get('x-ratelimit-remaining-requests')).toBe('2');
  await ok.json();
  const client = createTestClient(gw.url, 'k1');
  await client.chat.completion.mutate({ messages: [{ role: 'user', content: 'x' }] });
  await fetch(`${gw.url}/api/chat`, { method: 'POST', headers, body }).then((r) => r.text());

  const trpc = await failureOf(
    client.chat.completion.mutate({ messages: [{ role: 'user', content: 'x' }] }),
  );
  expect(trpc).toMatchObject({ gatewayCode: 'RATE_LIMITED', httpStatus: 429 });
  expect(trpc.retryAfterSeconds).toBeGreaterThan(0);
  const raw = await fetch(`${gw.url}/trpc/chat.completion`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ messages: [{ role: 'user', content: 'x' }] }),
  });
  expect(raw.status).toBe(429);
  expect(Number(raw.headers.get('retry-after'))).toBeGreaterThan(0);

  const openai = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'k1', maxRetries: 0 });
  const error = await openai.chat.completions
    .create({ model: 'llama3.2', messages: [{ role: 'user', content: 'x' }] })
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(OpenAI.RateLimitError);
  expect((error as InstanceType<typeof OpenAI.APIError>).code).toBe('RATE_LIMITED');
  const api = await fetch(`${gw.url}/api/chat`, { method: 'POST', headers, body });
  expect(api.status).toBe(429);
  expect(Number(api.headers.get('retry-after'))).toBeGreaterThan(0);
  expect((await api.json()).code).toBe('RATE_LIMITED');
});
