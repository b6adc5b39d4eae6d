import { type FakeOllama, startFakeOllama } from '@intellicore/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyIdOf } from '../src/auth.js';
import { startTestGateway, type TestGateway } from '../src/testing.js';
import { createTestClient, failureOf } from './helpers/trpc-client.js';

// Rate limits as the gateway builds them from RATE_LIMIT_* (no injected limiter): one budget
// per API key, overrides per key id, refusals on every door, and the backend in /metrics.
let fake: FakeOllama;
let gw: TestGateway;
const messages = [{ role: 'user' as const, content: 'hello' }];
const body = JSON.stringify({ model: 'llama3.2', messages });
const json = (key: string) => ({
  authorization: `Bearer ${key}`,
  'content-type': 'application/json',
});

beforeAll(async () => {
  fake = await startFakeOllama();
  gw = await startTestGateway({
    ollamaUrl: fake.url,
    env: {
      API_KEYS: 'k-v1,k-api,k-trpc,k-tokens',
      RATE_LIMIT_RPM: '2',
      // k-tokens: unlimited requests, 100 tokens a minute.
      RATE_LIMIT_OVERRIDES: `${keyIdOf('k-tokens')}:0:100`,
    },
  });
});

afterAll(async () => {
  await gw?.close();
  await fake?.close();
});

describe('requests per minute, from RATE_LIMIT_RPM', () => {
  it('/v1: 429 with Retry-After and X-RateLimit-* after the budget', async () => {
    const post = () =>
      fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: json('k-v1'), body });
    const first = await post();
    expect(first.status).toBe(200);
    expect(first.headers.get('x-ratelimit-limit-requests')).toBe('2');
    expect(first.headers.get('x-ratelimit-remaining-requests')).toBe('1');
    await first.text();
    expect((await post().then(drain)).status).toBe(200);
    const refused = await post();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('RATE_LIMITED');
  });

  it('/api: 429 after the budget; another key still has its own', async () => {
    const post = (key: string) =>
      fetch(`${gw.url}/api/chat`, { method: 'POST', headers: json(key), body });
    for (let i = 0; i < 2; i++) expect((await post('k-api').then(drain)).status).toBe(200);
    const refused = await post('k-api');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await refused.json()) as { code: string }).code).toBe('RATE_LIMITED');
  });

  it('tRPC: RATE_LIMITED with retryAfterSeconds', async () => {
    const client = createTestClient(gw.url, 'k-trpc');
    await client.chat.completion.mutate({ messages });
    await client.chat.completion.mutate({ messages });
    const error = await failureOf(client.chat.completion.mutate({ messages }));
    expect(error).toMatchObject({ gatewayCode: 'RATE_LIMITED', httpStatus: 429 });
    expect(error.retryAfterSeconds).toBeGreaterThan(0);
  });
});

it('tokens per minute: a request whose estimate exceeds the budget is refused up front', async () => {
  const client = createTestClient(gw.url, 'k-tokens');
  const before = fake.journal.entries().length;
  // No num_predict: the estimate reserves an answer allowance larger than 100 tokens.
  const error = await failureOf(client.chat.completion.mutate({ messages }));
  expect(error.gatewayCode).toBe('RATE_LIMITED');
  expect(fake.journal.entries().length).toBe(before); // never reached the upstream
  // A small answer fits the budget (the override lifted the request limit for this key).
  for (let i = 0; i < 3; i++) {
    await client.chat.completion.mutate({ messages, options: { num_predict: 8 } });
  }
});

it('/metrics shows the memory backend', async () => {
  const text = await fetch(`${gw.url}/metrics`).then((r) => r.text());
  expect(text).toContain('gateway_rate_limit_backend{backend="memory"} 1');
  expect(text).toContain('gateway_rate_limit_backend{backend="valkey"} 0');
});

async function drain(r: Response): Promise<Response> {
  await r.text();
  return r;
}
