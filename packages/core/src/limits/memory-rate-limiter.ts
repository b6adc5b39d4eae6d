import type { Caller } from '../service/context.js';
import type { RateLimiter, RateLimitLease } from '../service/hooks.js';
import { rateLimitedError, TokenLease, tokenCount, UNLIMITED_LEASE } from './lease.js';
import { bucketFor, effectiveLimits, isUnlimited, type RateLimitPolicy } from './policy.js';
import {
  adjust,
  decide,
  emptyBucket,
  prune,
  toQuota,
  type WindowBucket,
} from './sliding-window.js';

export interface MemoryRateLimiterOptions {
  policy: RateLimitPolicy;
  /** Length of the rate window; 60 000 ms for "per minute". */
  windowMs?: number;
  /** Clock (epoch ms); injectable so tests can move time without sleeping. */
  now?: () => number;
}

/** Buckets kept before idle (empty) ones are swept; keeps memory flat under many keys. */
const SWEEP_THRESHOLD = 10_000;

/** Per-process limiter: the default, and the fallback when Valkey is unreachable. */
export class MemoryRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, WindowBucket>();
  private readonly windowMs: number;
  private readonly now: () => number;
  private nextId = 0;

  constructor(private readonly options: MemoryRateLimiterOptions) {
    this.windowMs = options.windowMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  async reserve(
    keyId: string | null,
    estimate: number,
    own?: Caller['limits'],
  ): Promise<RateLimitLease> {
    const estimatedTokens = tokenCount(estimate);
    const limits = effectiveLimits(this.options.policy, keyId, own);
    if (isUnlimited(limits)) return UNLIMITED_LEASE;
    const name = bucketFor(keyId);
    const bucket = this.buckets.get(name) ?? emptyBucket();
    const now = this.now();
    const id = String(++this.nextId);
    const decision = decide(bucket, limits, estimatedTokens, now, this.windowMs, id);
    const quota = toQuota(limits, decision);
    if (!decision.allowed) throw rateLimitedError(decision, quota, estimatedTokens);
    this.buckets.set(name, bucket);
    if (this.buckets.size > SWEEP_THRESHOLD) this.sweep(now);
    const settle = async (delta: number) => {
      const current = this.buckets.get(name) ?? emptyBucket();
      adjust(current, limits.tokensPerMinute, id, delta, this.now(), this.windowMs);
      this.buckets.set(name, current);
    };
    return new TokenLease(quota, estimatedTokens, settle, () => {});
  }

  async close(): Promise<void> {
    this.buckets.clear();
  }

  /** Drops buckets whose entries all left the window: they equal no bucket at all. */
  private sweep(now: number): void {
    for (const [name, bucket] of this.buckets) {
      prune(bucket, now, this.windowMs);
      if (bucket.requests.length === 0 && bucket.tokens.length === 0) this.buckets.delete(name);
    }
  }
}
