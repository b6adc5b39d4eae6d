import { describe, expect, it } from 'vitest';
import { rateLimitPolicyFromEnv } from '../src/limits/create-rate-limiter.js';
import { estimateTokens } from '../src/limits/estimate-tokens.js';
import { MemoryRateLimiter } from '../src/limits/memory-rate-limiter.js';
import { parseRateLimitOverrides, rateLimitPolicy } from '../src/limits/policy.js';
import { limiterBehaviour, limits, refusal } from './rate-limit.shared.js';

describe('MemoryRateLimiter', () => {
  limiterBehaviour(async (policy) => new MemoryRateLimiter({ policy }));

  it('gives capacity back exactly after retry-after, not before', async () => {
    let now = 1_000_000;
    const limiter = new MemoryRateLimiter({
      policy: { defaults: limits(2, null) },
      now: () => now,
    });
    await limiter.reserve('k', 1);
    now += 10_000;
    await limiter.reserve('k', 1);
    const error = await refusal(limiter.reserve('k', 1));
    expect(error.retryAfterSeconds).toBe(50);
    now += 49_999;
    await refusal(limiter.reserve('k', 1));
    now += 1;
    await limiter.reserve('k', 1);
    await refusal(limiter.reserve('k', 1));
  });

  it('never allows more than the limit within any window under a steady stream', async () => {
    let now = 0;
    const limiter = new MemoryRateLimiter({
      policy: { defaults: limits(10, null) },
      now: () => now,
    });
    const allowedAt: number[] = [];
    for (now = 0; now < 180_000; now += 500) {
      try {
        await limiter.reserve('k', 1);
        allowedAt.push(now);
      } catch {}
    }
    for (const start of allowedAt) {
      const inWindow = allowedAt.filter((t) => t >= start && t < start + 60_000).length;
      expect(inWindow).toBeLessThanOrEqual(10);
    }
    expect(allowedAt).toHaveLength(30);
  });

  it('computes the token retry-after from the entries that must leave the window', async () => {
    let now = 0;
    const limiter = new MemoryRateLimiter({
      policy: { defaults: limits(null, 1000) },
      now: () => now,
    });
    for (const at of [0, 10_000, 20_000]) {
      now = at;
      await limiter.reserve('k', 300);
    }
    now = 30_000;
    // 400 must leave: the entries of 0 s and 10 s (600), so at 70 s: 40 s from now.
    expect((await refusal(limiter.reserve('k', 500))).retryAfterSeconds).toBe(40);
    now = 70_000;
    await limiter.reserve('k', 500);
  });

  it('keeps tokens a stream spent late counted for a full window from when they were spent', async () => {
    let now = 0;
    const limiter = new MemoryRateLimiter({
      policy: { defaults: limits(null, 1000) },
      now: () => now,
    });
    const lease = await limiter.reserve('k', 100);
    now = 50_000;
    await lease.consume(500);
    await lease.settle(500);
    now = 61_000; // the reservation's own minute is over, the late 400 are not
    await refusal(limiter.reserve('k', 600));
    await limiter.reserve('k', 500);
  });
});

describe('estimateTokens', () => {
  it('counts ~4 characters per token plus num_predict for the answer', () => {
    const request = {
      messages: [{ role: 'user' as const, content: 'x'.repeat(400) }],
      options: { num_predict: 50 },
    };
    expect(estimateTokens(request)).toBe(100 + 4 + 50);
  });

  it('assumes a completion allowance when num_predict is absent or unbounded', () => {
    const chat = { messages: [{ role: 'user' as const, content: 'hi' }] };
    expect(estimateTokens(chat)).toBe(1 + 4 + 256);
    expect(estimateTokens(chat, { completionAllowance: 10 })).toBe(1 + 4 + 10);
    expect(
      estimateTokens({ ...chat, options: { num_predict: -1 } }, { completionAllowance: 10 }),
    ).toBe(15);
  });

  it('counts the system prompt, tools and format of the prompt side', () => {
    const generate = {
      prompt: 'a'.repeat(40),
      system: 'b'.repeat(40),
      options: { num_predict: 1 },
    };
    expect(estimateTokens(generate)).toBe(10 + 10 + 1);
    const base = {
      messages: [{ role: 'user' as const, content: 'hi' }],
      options: { num_predict: 1 },
    };
    const withTools = {
      ...base,
      tools: [
        { type: 'function' as const, function: { name: 'lookup', description: 'd'.repeat(400) } },
      ],
    };
    expect(estimateTokens(withTools)).toBeGreaterThan(estimateTokens(base) + 100);
  });

  it('counts embeddings inputs without a completion', () => {
    expect(estimateTokens({ input: ['a'.repeat(8), 'b'.repeat(8)] })).toBe(4);
  });
});

describe('rate limit configuration', () => {
  it('parses RATE_LIMIT_OVERRIDES, empty or - meaning unlimited', () => {
    expect(parseRateLimitOverrides('key_a:10:5000, key_b::100,key_c:5:-')).toEqual({
      key_a: limits(10, 5000),
      key_b: limits(null, 100),
      key_c: limits(5, null),
    });
    expect(parseRateLimitOverrides(undefined)).toEqual({});
  });

  it('names the bad entry', () => {
    expect(() => parseRateLimitOverrides('key_a:10')).toThrow(/key_a:10.*keyId:rpm:tpm/);
    expect(() => parseRateLimitOverrides('key_a:ten:5')).toThrow(
      /"ten" is not a non-negative integer/,
    );
  });

  it('builds the policy from env; none when no limit is set', () => {
    expect(rateLimitPolicyFromEnv({})).toBeNull();
    expect(
      rateLimitPolicyFromEnv({ RATE_LIMIT_RPM: '60', RATE_LIMIT_OVERRIDES: 'vip:600:' }),
    ).toEqual({
      defaults: limits(60, null),
      overrides: { vip: limits(600, null) },
    });
    expect(rateLimitPolicyFromEnv({ RATE_LIMIT_RPM: '0', RATE_LIMIT_TPM: '0' })).toBeNull();
    expect(() => rateLimitPolicyFromEnv({ RATE_LIMIT_TPM: '-5' })).toThrow(/RATE_LIMIT_TPM/);
  });

  it('builds the policy from the gateway config numbers (0 = unlimited)', () => {
    expect(rateLimitPolicy({ rpm: 0, tpm: 0, overrides: [] })).toBeNull();
    expect(
      rateLimitPolicy({ rpm: 60, tpm: 0, overrides: [{ keyId: 'vip', rpm: 600, tpm: 100_000 }] }),
    ).toEqual({ defaults: limits(60, null), overrides: { vip: limits(600, 100_000) } });
    expect(rateLimitPolicy({ rpm: 0, tpm: 0, overrides: { vip: { rpm: 1, tpm: 0 } } })).toEqual({
      defaults: limits(null, null),
      overrides: { vip: limits(1, null) },
    });
  });
});
