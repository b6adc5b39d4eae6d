import { randomUUID } from 'node:crypto';
import { valkeyForTests } from '@intellicore/testkit';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheKey } from '../src/cache/cache-key.js';
import { createResponseCache } from '../src/cache/create-response-cache.js';
import { RedisResponseCache } from '../src/cache/redis-response-cache.js';
import { replayCachedStream, toCachedResponse } from '../src/cache/replay.js';
import { closeRedis, connectRedis } from '../src/limits/redis-client.js';
import type { ChatStreamEvent, EmbedResult } from '../src/types.js';
import { freePort } from './own-redis-server.js';

const valkey = valkeyForTests();
const keyPrefix = `test:cache:${randomUUID()}:`;

const embedding: EmbedResult = {
  model: 'nomic-embed-text',
  embeddings: [[0.1, 0.2, 0.3]],
  metrics: {},
};
const key = cacheKey({
  operation: 'embed',
  request: { input: 'hello' },
  model: 'nomic-embed-text:latest',
  modelDigest: 'sha256:1',
  keyId: 'key_1',
});

describe.skipIf(!valkey.url)('RedisResponseCache (real Valkey/Redis)', () => {
  let a: Redis;
  let b: Redis;

  beforeAll(async () => {
    a = await connectRedis(valkey.url!);
    b = await connectRedis(valkey.url!);
  });

  afterAll(async () => {
    const keys = await a.keys(`${keyPrefix}*`);
    if (keys.length) await a.del(...keys);
    await closeRedis(a);
    await closeRedis(b);
  });

  it('is shared: what one replica stores is a hit on the other', async () => {
    const replicaA = createResponseCache({ redis: a, keyPrefix }) as RedisResponseCache;
    const replicaB = createResponseCache({ redis: b, keyPrefix }) as RedisResponseCache;
    expect(await replicaB.get(key)).toBeUndefined();
    await replicaA.set(key, toCachedResponse('embed', { ...embedding, upstream: 'u1' }), 60);
    const hit = await replicaB.get(key);
    expect(hit?.result).toEqual(embedding);
    expect(replicaB.stats()).toMatchObject({ hits: 1, misses: 1, errors: 0 });
    expect(replicaA.stats()).toMatchObject({ writes: 1 });
  });

  it('stores under its prefix with the TTL', async () => {
    const cache = new RedisResponseCache({ redis: a, keyPrefix });
    await cache.set('ttl-key', toCachedResponse('embed', embedding), 2);
    const ttl = await a.pttl(`${keyPrefix}cache:ttl-key`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(2000);
    const other = new RedisResponseCache({ redis: a, keyPrefix: `${keyPrefix}other:` });
    expect(await other.get('ttl-key')).toBeUndefined();
  });

  it('replays a streamed answer stored by another replica as a stream', async () => {
    const at = '2026-01-01T00:00:00Z';
    const deltas: ChatStreamEvent[] = [
      { done: false, model: 'm', createdAt: at, message: { role: 'assistant', content: 'a' } },
      { done: false, model: 'm', createdAt: at, message: { role: 'assistant', content: 'b' } },
    ];
    const final = {
      done: true,
      model: 'm',
      createdAt: at,
      message: { role: 'assistant', content: 'ab' },
      metrics: {},
    };
    await new RedisResponseCache({ redis: a, keyPrefix }).set(
      'stream',
      toCachedResponse('chat', final, deltas),
      60,
    );
    const stored = await new RedisResponseCache({ redis: b, keyPrefix }).get('stream');
    const replay: ChatStreamEvent[] = [];
    for await (const e of replayCachedStream<ChatStreamEvent>(stored!)) replay.push(e);
    expect(replay.map((e) => e.message.content)).toEqual(['a', 'b', '']);
    expect(replay[2]).toMatchObject({ done: true, cached: true });
  });
});

describe('RedisResponseCache without a reachable server', () => {
  it('answers miss and skips writes, counting errors, without throwing', async () => {
    const redis = await connectRedis(`redis://127.0.0.1:${await freePort()}`, {
      readyTimeoutMs: 100,
    });
    const warnings: string[] = [];
    try {
      const cache = new RedisResponseCache({ redis, log: (_l, m) => warnings.push(m) });
      await cache.set(key, toCachedResponse('embed', embedding), 60);
      expect(await cache.get(key)).toBeUndefined();
      expect(cache.stats()).toMatchObject({ errors: 2, misses: 1, hits: 0, writes: 0 });
      expect(warnings).toEqual(['response cache bypassed: Valkey unreachable']);
    } finally {
      await closeRedis(redis);
    }
  });
});
