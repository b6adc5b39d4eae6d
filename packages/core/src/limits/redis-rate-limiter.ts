import type { Redis } from 'ioredis';
import type { Caller } from '../service/context.js';
import type { RateLimiter, RateLimitLease } from '../service/hooks.js';
import {
  type BackendLog,
  rateLimitedError,
  TokenLease,
  tokenCount,
  UNLIMITED_LEASE,
} from './lease.js';
import { bucketFor, effectiveLimits, isUnlimited, type RateLimitPolicy } from './policy.js';
import { ADJUST_SCRIPT, luaScript, RESERVE_SCRIPT, runScript } from './redis-scripts.js';
import { toQuota, type WindowDecision } from './sliding-window.js';

export interface RedisRateLimiterOptions {
  policy: RateLimitPolicy;
  /** A connected client (see `connectRedis`); not closed by this limiter. */
  redis: Redis;
  /** Prefix of every key, so deployments and tests can share one server. */
  keyPrefix?: string;
  windowMs?: number;
  log?: BackendLog;
}

const reserveScript = luaScript(RESERVE_SCRIPT);
const adjustScript = luaScript(ADJUST_SCRIPT);

type ReserveReply = [number, number, number, number, number, string, number, string];

/**
 * The limiter shared by every replica: one atomic EVALSHA per decision. Backend failures are
 * thrown as they are (not as GatewayError) so `FallbackRateLimiter` can tell them from refusals.
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly windowMs: number;
  private readonly prefix: string;

  constructor(private readonly options: RedisRateLimiterOptions) {
    this.windowMs = options.windowMs ?? 60_000;
    this.prefix = `${options.keyPrefix ?? 'llmgw:'}rl:`;
  }

  /** The bucket's three keys; the hash tag keeps them in one slot on a cluster. */
  keysFor(keyId: string | null): string[] {
    const tag = `${this.prefix}{${bucketFor(keyId)}}`;
    return [`${tag}:r`, `${tag}:t`, `${tag}:h`];
  }

  async reserve(
    keyId: string | null,
    estimate: number,
    own?: Caller['limits'],
  ): Promise<RateLimitLease> {
    const estimatedTokens = tokenCount(estimate);
    const limits = effectiveLimits(this.options.policy, keyId, own);
    if (isUnlimited(limits)) return UNLIMITED_LEASE;
    const keys = this.keysFor(keyId);
    const reply = (await runScript(this.options.redis, reserveScript, keys, [
      this.windowMs,
      limits.requestsPerMinute ?? -1,
      limits.tokensPerMinute ?? -1,
      estimatedTokens,
    ])) as ReserveReply;
    const decision = fromReply(reply);
    const quota = toQuota(limits, decision);
    if (!decision.allowed) throw rateLimitedError(decision, quota, estimatedTokens);
    const id = reply[7];
    const adjust = async (delta: number) => {
      await runScript(this.options.redis, adjustScript, keys, [
        this.windowMs,
        limits.tokensPerMinute ?? -1,
        id,
        delta,
      ]);
    };
    const onError = (error: unknown) =>
      this.options.log?.('warn', 'rate limit settlement lost: Valkey unreachable', {
        error: String(error),
      });
    return new TokenLease(quota, estimatedTokens, adjust, onError);
  }

  /** The client belongs to whoever created it. */
  async close(): Promise<void> {}
}

function fromReply(reply: ReserveReply): WindowDecision {
  const [allowed, retryAfterMs, requests, tokens, resetMs, limitedBy, exceeds] = reply;
  const unlimited = (n: number) => (n < 0 ? Number.POSITIVE_INFINITY : n);
  const decision: WindowDecision = {
    allowed: allowed === 1,
    retryAfterMs,
    requestsRemaining: unlimited(requests),
    tokensRemaining: unlimited(tokens),
    resetMs,
  };
  if (allowed !== 1) {
    decision.limitedBy = limitedBy === 'tokens' ? 'tokens' : 'requests';
    decision.exceedsBudget = exceeds === 1;
  }
  return decision;
}
