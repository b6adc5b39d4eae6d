import { Writable } from 'node:stream';
import { connectRedis } from '@intellicore/llm-core';
import { type FakeOllama, startFakeOllama, valkeyForTests } from '@intellicore/testkit';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyIdOf } from '../src/auth.js';
import { startTestGateway, type TestGateway } from '../src/testing.js';
import { RedisServerProcess } from './helpers/redis-server.js';

// Valkey going away under two replicas and coming back. The suite starts its own
// `redis-server` child (so it can kill it) and runs wherever the Valkey suites run.
const LIMIT = 3;
let valkey: RedisServerProcess;
let fake: FakeOllama;
let a: TestGateway;
let b: TestGateway;
/** Replica A's warnings, as JSON lines. */
const warnings: string[] = [];
const logger = pino(
  { level: 'warn' },
  new Writable({
    write(chunk, _encoding, done) {
      warnings.push(String(chunk));
      done();
    },
  }),
);

const call = (gw: TestGateway, key: string, input: string) =>
  fetch(`${gw.url}/v1/embeddings`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'nomic-embed-text', input }),
  }).then(async (r) => {
    await r.text();
    return r.status;
  });
const backend = async (gw: TestGateway) => {
  const text = await fetch(`${gw.url}/metrics`).then((r) => r.text());
  return /gateway_rate_limit_backend\{backend="(\w+)"\} 1/.exec(text)?.[1];
};

describe.skipIf(!valkeyForTests().url)('Valkey unreachable mid-test', () => {
  beforeAll(async () => {
    valkey = await RedisServerProcess.start();
    fake = await startFakeOllama();
    const env = {
      API_KEYS: 'lim,free',
      VALKEY_URL: valkey.url,
      RATE_LIMIT_OVERRIDES: `${keyIdOf('lim')}:${LIMIT}:0`,
      CACHE_TTL_SECONDS: '60',
    };
    a = await startTestGateway({ ollamaUrl: fake.url, env, logger });
    b = await startTestGateway({ ollamaUrl: fake.url, env });
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await fake?.close();
    await valkey?.stop();
  });

  it('limits fall back to per-replica memory (never unlimited), then return to Valkey', async () => {
    expect(await call(a, 'lim', 'before')).toBe(200);
    expect(await backend(a)).toBe('valkey');

    await valkey.stop();
    // Each replica now limits on its own: LIMIT per replica, the rest refused. The unlimited
    // key and the (now missing) cache keep answering.
    for (const gw of [a, b]) {
      const statuses: number[] = [];
      for (let i = 0; i < LIMIT + 2; i++) statuses.push(await call(gw, 'lim', `down ${i}`));
      expect(statuses).toEqual([...Array(LIMIT).fill(200), 429, 429]);
      expect(await call(gw, 'free', 'still served')).toBe(200);
      expect(await backend(gw)).toBe('fallback');
      const metrics = await fetch(`${gw.url}/metrics`).then((r) => r.text());
      expect(metrics).toContain('gateway_rate_limit_fallbacks_total 1');
    }
    for (const gw of [a, b]) expect((await fetch(`${gw.url}/healthz`)).status).toBe(200);
    expect(warnings.join('')).toContain('rate limits fell back to per-replica memory');

    await valkey.start();
    for (const gw of [a, b]) {
      await expect.poll(() => backend(gw), { timeout: 10_000, interval: 100 }).toBe('valkey');
    }
    // The restarted Valkey lost its data (no persistence): a fresh shared budget, kept there.
    expect(await call(b, 'lim', 'after')).toBe(200);
    const redis = await connectRedis(valkey.url);
    try {
      expect((await redis.keys('llmgw:rl:*')).length).toBeGreaterThan(0);
    } finally {
      await redis.quit();
    }
  });
});
