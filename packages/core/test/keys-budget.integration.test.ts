// Token budgets: the period windows, the memory ledger, and the ledger two replicas share on
// the real Valkey; and a stored key's own per-minute limits over the defaults.
import { randomUUID } from 'node:crypto';
import { valkeyForTests } from '@intellicore/testkit';
import type { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import type { GatewayError } from '../src/errors.js';
import { MemoryBudgetLedger, RedisBudgetLedger } from '../src/keys/budget-ledger.js';
import { periodWindow } from '../src/keys/budget-period.js';
import { MemoryRateLimiter } from '../src/limits/memory-rate-limiter.js';
import { effectiveLimits } from '../src/limits/policy.js';
import { closeRedis, connectRedis } from '../src/limits/redis-client.js';

const valkey = valkeyForTests();

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: GatewayError) => e,
  );

describe('budget periods (UTC)', () => {
  it('a day runs midnight to midnight, a month first to first (across the year end)', () => {
    const at = Date.parse('2026-12-31T23:30:00Z');
    expect(periodWindow('day', at)).toEqual({
      name: '2026-12-31',
      startsAt: new Date('2026-12-31T00:00:00Z'),
      resetsAt: new Date('2027-01-01T00:00:00Z'),
    });
    expect(periodWindow('month', at)).toEqual({
      name: '2026-12',
      startsAt: new Date('2026-12-01T00:00:00Z'),
      resetsAt: new Date('2027-01-01T00:00:00Z'),
    });
  });
});

describe('MemoryBudgetLedger', () => {
  it('admits while under budget, then refuses with BUDGET_EXCEEDED and when it resets', async () => {
    let now = Date.parse('2026-11-30T10:00:00Z');
    const ledger = new MemoryBudgetLedger(() => now);
    const budget = { tokens: 100, period: 'day' as const };
    await ledger.admit('k', budget);
    await ledger.charge('k', 'day', 99);
    await ledger.admit('k', budget); // 99 < 100: one more request may start
    await ledger.charge('k', 'day', 30);
    const error = await refusal(ledger.admit('k', budget));
    expect(error?.code).toBe('BUDGET_EXCEEDED');
    expect(error?.httpStatus).toBe(429);
    expect(error?.toJSON().details).toEqual({ resetsAt: '2026-12-01T00:00:00.000Z' });
    expect(error?.retryAfterSeconds).toBe(14 * 3600);
    expect(await ledger.spent('k', 'day')).toBe(129);
    expect(await ledger.spent('k', 'month')).toBe(0); // periods count apart
    now = Date.parse('2026-12-01T00:00:01Z');
    await ledger.admit('k', budget); // a new day
    expect(await ledger.spent('k', 'day')).toBe(0);
  });

  it('reserves each admitted request’s estimate: concurrent requests cannot all start on the last tokens', async () => {
    const ledger = new MemoryBudgetLedger();
    const budget = { tokens: 100, period: 'day' as const };
    // Ten requests of ~40 tokens start together: three are admitted (0, 40, 80 < 100), not ten.
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, () => refusal(ledger.admit('k', budget, 40))),
    );
    expect(outcomes.filter((e) => e === undefined)).toHaveLength(3);
    expect(outcomes.filter((e) => e?.code === 'BUDGET_EXCEEDED')).toHaveLength(7);
    expect(await ledger.spent('k', 'day')).toBe(120);
    // Settling charges the difference: three answers of 25 real tokens → 75 spent, room again.
    for (let i = 0; i < 3; i++) await ledger.charge('k', 'day', 25 - 40);
    expect(await ledger.spent('k', 'day')).toBe(75);
    await ledger.admit('k', budget, 40);
  });
});

describe.skipIf(!valkey.url)('RedisBudgetLedger (real Valkey)', () => {
  const clients: Redis[] = [];
  afterAll(async () => {
    await Promise.all(clients.map(closeRedis));
  });

  it('two replicas share one spend per key and period', async () => {
    const keyPrefix = `test:budget:${randomUUID()}:`;
    const a = await connectRedis(valkey.url!);
    const b = await connectRedis(valkey.url!);
    clients.push(a, b);
    const one = new RedisBudgetLedger(a, { keyPrefix });
    const two = new RedisBudgetLedger(b, { keyPrefix });
    const budget = { tokens: 50, period: 'month' as const };
    await one.charge('key_x', 'month', 30);
    await two.admit('key_x', budget);
    await two.charge('key_x', 'month', 30);
    expect(await one.spent('key_x', 'month')).toBe(60);
    expect((await refusal(one.admit('key_x', budget)))?.code).toBe('BUDGET_EXCEEDED');
    expect((await refusal(two.admit('key_x', budget)))?.code).toBe('BUDGET_EXCEEDED');
    await one.admit('key_y', budget); // another key has its own
    // Reservations are shared too: of six requests of 20 admitted at once on two replicas,
    // only those that start under 50 go (0, 20, 40), and a refusal takes its reservation back.
    const starts = await Promise.all(
      Array.from({ length: 6 }, (_, i) => refusal((i % 2 ? one : two).admit('key_z', budget, 20))),
    );
    expect(starts.filter((e) => e === undefined)).toHaveLength(3);
    expect(await one.spent('key_z', 'month')).toBe(60);
    const ttl = await a.pttl(`${keyPrefix}budget:{key_x}:${periodWindow('month').name}`);
    expect(ttl).toBeGreaterThan(86_400_000); // kept a day past the period's end
  });
});

describe('a stored key’s own rpm/tpm over the defaults', () => {
  const policy = { defaults: { requestsPerMinute: 2, tokensPerMinute: null } };

  it('replace the defaults field by field; null lifts a limit (no counting at all)', async () => {
    const limiter = new MemoryRateLimiter({ policy });
    expect(effectiveLimits(policy, 'k', { tokensPerMinute: 100 })).toEqual({
      requestsPerMinute: 2,
      tokensPerMinute: 100,
    });
    // Own rpm 3 instead of the default 2.
    for (let i = 0; i < 3; i++) await limiter.reserve('k', 1, { requestsPerMinute: 3 });
    const refused = await refusal(limiter.reserve('k', 1, { requestsPerMinute: 3 }));
    expect(refused?.code).toBe('RATE_LIMITED');
    // Unlimited: any number, and the quota says so (no X-RateLimit headers).
    for (let i = 0; i < 10; i++) {
      const lease = await limiter.reserve('free', 1, { requestsPerMinute: null });
      expect(lease.quota.requestsLimit).toBe(Number.POSITIVE_INFINITY);
    }
    // Without own limits the default still holds.
    await limiter.reserve('other', 1);
    await limiter.reserve('other', 1);
    expect((await refusal(limiter.reserve('other', 1)))?.code).toBe('RATE_LIMITED');
  });
});
