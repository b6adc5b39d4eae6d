import { randomUUID } from 'node:crypto';
import { valkeyForTests } from '@intellicore/testkit';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { GatewayError } from '../src/errors.js';
import { createRateLimiter } from '../src/limits/create-rate-limiter.js';
import type { LimiterBackendState } from '../src/limits/fallback-rate-limiter.js';
import { FallbackRateLimiter } from '../src/limits/fallback-rate-limiter.js';
import { MemoryRateLimiter } from '../src/limits/memory-rate-limiter.js';
import { closeRedis, connectRedis } from '../src/limits/redis-client.js';
import { RedisRateLimiter } from '../src/limits/redis-rate-limiter.js';
import type { RateLimiter, RateLimitLease } from '../src/service/hooks.js';
import { freePort, OwnRedisServer } from './own-redis-server.js';
import { limiterBehaviour, limits, refusal } from './rate-limit.shared.js';

const valkey = valkeyForTests();
/** Unique per run of this file, so parallel suites on one server never meet. */
const filePrefix = `test:rl:${randomUUID()}:`;

describe.skipIf(!valkey.url)('RedisRateLimiter (real Valkey/Redis)', () => {
  let a: Redis;
  let b: Redis;
  let testNo = 0;

  beforeAll(async () => {
    a = await connectRedis(valkey.url!);
    b = await connectRedis(valkey.url!);
  });

  afterAll(async () => {
    const keys = await a.keys(`${filePrefix}*`);
    if (keys.length) await a.del(...keys);
    await closeRedis(a);
    await closeRedis(b);
  });

  limiterBehaviour(
    async (policy) =>
      new RedisRateLimiter({ policy, redis: a, keyPrefix: `${filePrefix}${++testNo}:` }),
  );

  it('is one global limit for two replicas (two connections): exactly the limit passes', async () => {
    const keyPrefix = `${filePrefix}global:`;
    const policy = { defaults: limits(15, 1000) };
    const replicaA = new RedisRateLimiter({ policy, redis: a, keyPrefix });
    const replicaB = new RedisRateLimiter({ policy, redis: b, keyPrefix });
    const attempts = Array.from({ length: 40 }, (_, i) =>
      (i % 2 === 0 ? replicaA : replicaB).reserve('shared-key', 10),
    );
    const results = await Promise.allSettled(attempts);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(15);
    for (const r of results) {
      if (r.status === 'rejected') expect((r.reason as { code: string }).code).toBe('RATE_LIMITED');
    }
  });

  it('decides exactly like the memory limiter (same steps in Lua and TypeScript)', async () => {
    // Seeded random walk of reserves, stream charges and settlements on three keys; the whole
    // run lasts well under the window, so no entry expires and both must agree step by step.
    const policy = { defaults: limits(12, 2000), overrides: { small: limits(4, 300) } };
    const redisLimiter = new RedisRateLimiter({
      policy,
      redis: a,
      keyPrefix: `${filePrefix}diff:`,
    });
    const memoryLimiter = new MemoryRateLimiter({ policy });
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const leases: [RateLimitLease, RateLimitLease][] = [];
    const refusedBy = new Set<string>();
    const outcome = async (limiter: RateLimiter, key: string, tokens: number) => {
      try {
        const lease = await limiter.reserve(key, tokens);
        return { lease, seen: [lease.quota.requestsRemaining, lease.quota.tokensRemaining] };
      } catch (error) {
        return {
          lease: undefined,
          seen: [(error as GatewayError).code, (error as GatewayError).details?.limitedBy],
        };
      }
    };
    for (let step = 0; step < 120; step++) {
      const action = random(4);
      if (action < 2 || leases.length === 0) {
        const key = ['a', 'b', 'small'][random(3)]!;
        const tokens = 1 + random(400);
        const fromRedis = await outcome(redisLimiter, key, tokens);
        const fromMemory = await outcome(memoryLimiter, key, tokens);
        expect(fromRedis.seen, `step ${step}: reserve ${key} ${tokens}`).toEqual(fromMemory.seen);
        if (!fromRedis.lease) refusedBy.add(String(fromRedis.seen[1]));
        if (fromRedis.lease && fromMemory.lease) leases.push([fromRedis.lease, fromMemory.lease]);
      } else {
        const [r, m] = leases[random(leases.length)]!;
        const tokens = random(500);
        const op = action === 2 ? 'consume' : 'settle';
        await r[op](tokens);
        await m[op](tokens);
      }
    }
    expect(leases.length).toBeGreaterThan(10);
    expect([...refusedBy].sort()).toEqual(['requests', 'tokens']);
  });

  it('keeps its keys only as long as the window needs them', async () => {
    const limiter = new RedisRateLimiter({
      policy: { defaults: limits(5, 100) },
      redis: a,
      keyPrefix: `${filePrefix}ttl:`,
    });
    await limiter.reserve('k', 1);
    for (const key of limiter.keysFor('k')) {
      const ttl = await a.pttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(61_000);
    }
  });

  it('settles on one replica what the other sees', async () => {
    const keyPrefix = `${filePrefix}settle:`;
    const policy = { defaults: limits(null, 1000) };
    const replicaA = new RedisRateLimiter({ policy, redis: a, keyPrefix });
    const replicaB = new RedisRateLimiter({ policy, redis: b, keyPrefix });
    const lease = await replicaA.reserve('k', 800);
    await refusal(replicaB.reserve('k', 800));
    await lease.settle(200);
    await replicaB.reserve('k', 800);
  });

  it('makes one EVALSHA per decision', async () => {
    const monitorPrefix = `${filePrefix}evalsha:`;
    const limiter = new RedisRateLimiter({
      policy: { defaults: limits(10, 100) },
      redis: b,
      keyPrefix: monitorPrefix,
    });
    await limiter.reserve('warm', 1); // loads the script on this connection if needed
    const before = await commandCalls(a, 'evalsha');
    const evalBefore = await commandCalls(a, 'eval');
    await limiter.reserve('k', 1);
    await limiter.reserve('k', 1);
    // Other suites may share the server: at least our two, and no EVAL fallback.
    expect((await commandCalls(a, 'evalsha')) - before).toBeGreaterThanOrEqual(2);
    expect(await commandCalls(a, 'eval')).toBe(evalBefore);
  });
});

async function commandCalls(redis: Redis, command: string): Promise<number> {
  const info = await redis.info('commandstats');
  const match = new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(info);
  return Number(match?.[1] ?? 0);
}

describe('rate limits when Valkey goes away (own redis-server child process)', () => {
  let server: OwnRedisServer;
  const opened: { close(): Promise<void> }[] = [];
  const clients: Redis[] = [];

  beforeAll(async () => {
    server = await OwnRedisServer.start();
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((o) => o.close()));
    await Promise.all(clients.splice(0).map(closeRedis));
  });

  afterAll(async () => {
    await server.stop();
  });

  it('falls back to per-replica memory limits — never unlimited — and goes back when it returns', async () => {
    const states: LimiterBackendState[] = [];
    const warnings: string[] = [];
    const redis = await connectRedis(server.url, {
      redisOptions: { retryStrategy: () => 50 },
      commandTimeoutMs: 300,
    });
    clients.push(redis);
    const limiter = createRateLimiter({
      policy: { defaults: limits(2, null) },
      redis,
      keyPrefix: 'fallback-test:',
      probeIntervalMs: 50,
      onBackendChange: (s) => states.push(s),
      log: (level, message) => level === 'warn' && warnings.push(message),
    });
    opened.push(limiter);
    expect(limiter).toBeInstanceOf(FallbackRateLimiter);
    const fallback = limiter as FallbackRateLimiter;

    await limiter.reserve('k', 1);
    expect(fallback.state).toBe('primary');

    await server.stop();
    // Requests keep being served, from this replica's own budget of 2…
    await limiter.reserve('k', 1);
    expect(fallback.state).toBe('fallback');
    await limiter.reserve('k', 1);
    // …and the third is refused: a lost backend never means "no limit".
    await refusal(limiter.reserve('k', 1));
    expect(states).toEqual(['fallback']);
    expect(fallback.fallbackActivations).toBe(1);
    expect(warnings.some((w) => w.includes('fell back'))).toBe(true);

    await server.restart();
    await vi.waitFor(() => expect(states).toEqual(['fallback', 'primary']), {
      timeout: 5000,
      interval: 50,
    });
    // Decisions are on the (fresh, restarted) server again.
    await limiter.reserve('k', 1);
    const check = await connectRedis(server.url);
    clients.push(check);
    expect(await check.zcard('fallback-test:rl:{k}:r')).toBe(1);
  });

  it('starts limiting from memory when Valkey is unreachable at start-up', async () => {
    const deadUrl = `redis://127.0.0.1:${await freePort()}`;
    const redis = await connectRedis(deadUrl, { readyTimeoutMs: 200 });
    clients.push(redis);
    const states: LimiterBackendState[] = [];
    const limiter: RateLimiter = createRateLimiter({
      policy: { defaults: limits(1, null) },
      redis,
      onBackendChange: (s) => states.push(s),
    });
    opened.push(limiter);
    await limiter.reserve('k', 1);
    await refusal(limiter.reserve('k', 1));
    expect(states).toEqual(['fallback']);
  });
});
