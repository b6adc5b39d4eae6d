import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postgresForTests, valkeyForTests } from '@intellicore/testkit';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryResponseCache } from '../src/cache/memory-response-cache.js';
import { RedisResponseCache } from '../src/cache/redis-response-cache.js';
import { toCachedResponse } from '../src/cache/replay.js';
import { FallbackRateLimiter } from '../src/limits/fallback-rate-limiter.js';
import { MemoryRateLimiter } from '../src/limits/memory-rate-limiter.js';
import { closeRedis, connectRedis } from '../src/limits/redis-client.js';
import { openSharedState, type SharedStateOptions } from '../src/limits/shared-state.js';
import type { UsageRecord } from '../src/service/hooks.js';
import { refusal } from './rate-limit.shared.js';

const valkey = valkeyForTests();
const postgres = postgresForTests();
const schema = `usage_shared_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
const keyPrefix = `test:shared:${randomUUID()}:`;
const dir = mkdtempSync(join(tmpdir(), 'shared-state-'));

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  if (valkey.url) {
    const redis = await connectRedis(valkey.url);
    const keys = await redis.keys(`${keyPrefix}*`);
    if (keys.length) await redis.del(...keys);
    await closeRedis(redis);
  }
  if (!postgres.url) return;
  const client = new pg.Client({ connectionString: postgres.url });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
});

const usage = (keyId: string): UsageRecord => ({
  at: new Date(),
  keyId,
  door: 'openai',
  operation: 'embed',
  model: 'nomic-embed-text:latest',
  promptTokens: 3,
  completionTokens: 0,
  durationMs: 5,
  status: 'ok',
  cached: false,
});

describe.skipIf(!valkey.url || !postgres.url)(
  'shared state of two replicas (real Valkey + PostgreSQL)',
  () => {
    it('shares the limit, the cache and the usage table', async () => {
      const options: SharedStateOptions = {
        valkeyUrl: valkey.url,
        databaseUrl: postgres.url,
        schema,
        keyPrefix,
        rateLimit: { rpm: 3, tpm: 0, overrides: [{ keyId: 'vip', rpm: 10, tpm: 0 }] },
        cache: { ttlSeconds: 60, maxBytes: 1_000_000 },
      };
      const [a, b] = await Promise.all([openSharedState(options), openSharedState(options)]);
      try {
        expect(a.limiter).toBeInstanceOf(FallbackRateLimiter);
        expect(a.cache).toBeInstanceOf(RedisResponseCache);

        await a.limiter!.reserve('key_1', 1);
        await b.limiter!.reserve('key_1', 1);
        await a.limiter!.reserve('key_1', 1);
        await refusal(b.limiter!.reserve('key_1', 1));
        await b.limiter!.reserve('vip', 1);

        const answer = { model: 'nomic-embed-text', embeddings: [[1, 2]], metrics: {} };
        await a.cache!.set('k', toCachedResponse('embed', answer), a.cacheTtlSeconds);
        expect((await b.cache!.get('k'))?.result).toEqual(answer);

        a.usage.record(usage('key_1'));
        b.usage.record(usage('key_2'));
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
      const reader = await openSharedState({ ...options, valkeyUrl: null });
      try {
        const byKey = await reader.usageStore.summary({ groupBy: 'key' });
        expect(byKey.map((r) => [r.group, r.requests])).toEqual([
          ['key_1', 1],
          ['key_2', 1],
        ]);
      } finally {
        await reader.close();
      }
    });
  },
);

describe('shared state without Valkey', () => {
  it('limits and caches in memory, records usage in SQLite; no limiter/cache when not configured', async () => {
    const path = join(dir, 'gateway.db');
    const state = await openSharedState({
      databaseUrl: path,
      rateLimit: { rpm: 1, tpm: 0 },
      cache: { ttlSeconds: 30, maxBytes: 1000 },
    });
    expect(state.limiter).toBeInstanceOf(MemoryRateLimiter);
    expect(state.cache).toBeInstanceOf(MemoryResponseCache);
    expect(state.usageStore.kind).toBe('sqlite');
    state.usage.record(usage('key_1'));
    await state.close();
    await state.close();

    const off = await openSharedState({
      databaseUrl: path,
      rateLimit: { rpm: 0, tpm: 0 },
      cache: { ttlSeconds: 0, maxBytes: 1000 },
    });
    expect(off.limiter).toBeUndefined();
    expect(off.cache).toBeUndefined();
    expect((await off.usageStore.summary({ groupBy: 'key' }))[0]?.requests).toBe(1);
    await off.close();
  });
});
