import { type FakeOllama, startFakeOllama } from '@intellicore/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { keyIdOf } from '../src/auth.js';
import { startTestGateway, type TestGateway } from '../src/testing.js';

// Starts a real gateway and fake Ollama on 127.0.0.1: X-RateLimit-* announce only the limits
// that apply — an unset (0 = unlimited) limit has no header, never "Infinity".
let fake: FakeOllama;
let gw: TestGateway;

beforeAll(async () => {
  fake = await startFakeOllama();
  gw = await startTestGateway({
    ollamaUrl: fake.url,
    env: {
      API_KEYS: 'k-tokens,k-requests,k-free',
      RATE_LIMIT_RPM: '0',
      RATE_LIMIT_TPM: '0',
      RATE_LIMIT_OVERRIDES: `${keyIdOf('k-tokens')}:0:5000,${keyIdOf('k-requests')}:7:0`,
    },
  });
});

afterAll(async () => {
  await gw?.close();
  await fake?.close();
});

const chat = async (key: string, door: '/v1/chat/completions' | '/api/chat') => {
  const response = await fetch(`${gw.url}${door}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'llama3.2',
      messages: [{ role: 'user', content: 'hello' }],
      stream: false,
    }),
  });
  await response.text();
  expect(response.status).toBe(200);
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (name.startsWith('x-ratelimit-')) headers[name] = value;
  });
  return headers;
};

it('tokens limited, requests unlimited: token headers only', async () => {
  for (const door of ['/v1/chat/completions', '/api/chat'] as const) {
    const headers = await chat('k-tokens', door);
    expect(Object.keys(headers).sort()).toEqual([
      'x-ratelimit-limit-tokens',
      'x-ratelimit-remaining-tokens',
      'x-ratelimit-reset',
    ]);
    expect(headers['x-ratelimit-limit-tokens']).toBe('5000');
    expect(Number(headers['x-ratelimit-remaining-tokens'])).toBeLessThan(5000);
  }
});

it('requests limited, tokens unlimited: request headers only', async () => {
  const headers = await chat('k-requests', '/v1/chat/completions');
  expect(Object.keys(headers).sort()).toEqual([
    'x-ratelimit-limit-requests',
    'x-ratelimit-remaining-requests',
    'x-ratelimit-reset',
  ]);
  expect(headers['x-ratelimit-limit-requests']).toBe('7');
  expect(headers['x-ratelimit-remaining-requests']).toBe('6');
});

it('nothing limited: no X-RateLimit-* at all', async () => {
  expect(await chat('k-free', '/api/chat')).toEqual({});
});
