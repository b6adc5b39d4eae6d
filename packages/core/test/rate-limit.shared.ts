import { expect, it } from 'vitest';
import type { GatewayError } from '../src/errors.js';
import type { RateLimitPolicy } from '../src/limits/policy.js';
import type { RateLimiter } from '../src/service/hooks.js';

/** Makes a fresh limiter (own key space) for one test; cleaned up by the caller's hooks. */
export type MakeLimiter = (policy: RateLimitPolicy) => Promise<RateLimiter>;

export const limits = (rpm: number | null, tpm: number | null) => ({
  requestsPerMinute: rpm,
  tokensPerMinute: tpm,
});

export async function refusal(promise: Promise<unknown>): Promise<GatewayError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'expected a RATE_LIMITED refusal').toBeDefined();
  expect((error as GatewayError).code).toBe('RATE_LIMITED');
  return error as GatewayError;
}

/** The behaviour every limiter backend must show; registered inside a describe block. */
export function limiterBehaviour(make: MakeLimiter): void {
  it('allows the limit, refuses the next request with RATE_LIMITED and an exact retry-after', async () => {
    const limiter = await make({ defaults: limits(3, null) });
    const remaining: number[] = [];
    for (let i = 0; i < 3; i++)
      remaining.push((await limiter.reserve('k', 1)).quota.requestsRemaining);
    expect(remaining).toEqual([2, 1, 0]);
    const error = await refusal(limiter.reserve('k', 1));
    // Sliding window: the first admission leaves the window a minute after it came in.
    expect(error.retryAfterSeconds).toBeGreaterThanOrEqual(59);
    expect(error.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(error.details?.limitedBy).toBe('requests');
    expect(error.httpStatus).toBe(429);
  });

  it('keeps one budget per API key, one shared by anonymous callers, and honours overrides', async () => {
    const limiter = await make({
      defaults: limits(1, null),
      overrides: { vip: limits(3, null) },
    });
    await limiter.reserve('a', 1);
    await refusal(limiter.reserve('a', 1));
    await limiter.reserve('b', 1);
    await limiter.reserve(null, 1);
    await refusal(limiter.reserve(null, 1));
    for (let i = 0; i < 3; i++) await limiter.reserve('vip', 1);
    await refusal(limiter.reserve('vip', 1));
  });

  it('refuses up front a request whose estimate exceeds the token budget, without charging it', async () => {
    const limiter = await make({ defaults: limits(100, 1000) });
    const first = await limiter.reserve('k', 600);
    expect(first.quota.tokensRemaining).toBe(400);
    const error = await refusal(limiter.reserve('k', 600));
    expect(error.details?.limitedBy).toBe('tokens');
    // The 600 already reserved must leave the window first.
    expect(error.retryAfterSeconds).toBeGreaterThanOrEqual(59);
    expect(error.retryAfterSeconds).toBeLessThanOrEqual(60);
    // The refused request took nothing: exactly the 400 left still fit.
    const rest = await limiter.reserve('k', 400);
    expect(rest.quota.tokensRemaining).toBe(0);
    expect(rest.quota.requestsRemaining).toBe(98);
  });

  it('says when a request can never fit the budget', async () => {
    const limiter = await make({ defaults: limits(null, 500) });
    const error = await refusal(limiter.reserve('k', 501));
    expect(error.details?.exceedsBudget).toBe(true);
  });

  it('settles with the real count: releases what the estimate over-reserved', async () => {
    const limiter = await make({ defaults: limits(null, 1000) });
    const lease = await limiter.reserve('k', 800);
    await refusal(limiter.reserve('k', 700));
    await lease.settle(300);
    await lease.settle(10); // settles once
    const next = await limiter.reserve('k', 700);
    expect(next.quota.tokensRemaining).toBe(0);
    await refusal(limiter.reserve('k', 1));
  });

  it('settles with the real count: charges what the estimate missed', async () => {
    const limiter = await make({ defaults: limits(null, 1000) });
    const lease = await limiter.reserve('k', 100);
    await lease.settle(900);
    await refusal(limiter.reserve('k', 200));
    await limiter.reserve('k', 100);
  });

  it('counts a stream as it flows past its estimate', async () => {
    const limiter = await make({ defaults: limits(null, 1000) });
    const lease = await limiter.reserve('k', 100);
    await lease.consume(60);
    await lease.consume(40);
    // Within the estimate so far; now the stream runs long.
    await lease.consume(400);
    await refusal(limiter.reserve('k', 501));
    await lease.settle(500);
    const next = await limiter.reserve('k', 500);
    expect(next.quota.tokensRemaining).toBe(0);
  });

  it('reports an unlimited dimension as Infinity', async () => {
    const limiter = await make({ defaults: limits(10, null) });
    const lease = await limiter.reserve('k', 1_000_000);
    expect(lease.quota.tokensLimit).toBe(Number.POSITIVE_INFINITY);
    expect(lease.quota.requestsLimit).toBe(10);
    expect(lease.quota.resetSeconds).toBe(60);
  });
}
