import type { QuotaSnapshot } from '../service/hooks.js';
import type { RateLimits } from './policy.js';

/**
 * Sliding-window log: a caller never gets more than its limit in ANY window of `windowMs`
 * (no 2× burst at a fixed-window edge, no token-bucket refill on top of a full burst), and a
 * refusal knows exactly when enough old entries leave the window (`retryAfterMs`).
 *
 * One entry per admitted request: its time (request count) and its tokens (token budget).
 * A lease settles on its own entry: a refund lowers it in place, a charge (stream ran past the
 * estimate) raises it and moves it to "now", so extra tokens stay counted a full window.
 *
 * This is the reference implementation; `redis-scripts.ts` runs the same steps in Lua so a
 * decision on Valkey is one atomic EVALSHA.
 */

export interface TokenEntry {
  id: string;
  at: number;
  tokens: number;
}

export interface WindowBucket {
  /** Admission times, ascending. */
  requests: number[];
  /** Token entries, ascending by `at`. */
  tokens: TokenEntry[];
  tokenTotal: number;
}

export type LimitedDimension = 'requests' | 'tokens';

export interface WindowDecision {
  allowed: boolean;
  /** Id of the admitted entry (for settlement). */
  id?: string;
  /** 0 when allowed. */
  retryAfterMs: number;
  limitedBy?: LimitedDimension;
  /** True when the cost alone is larger than the whole budget: waiting will not help. */
  exceedsBudget?: boolean;
  /** Infinity when unlimited. */
  requestsRemaining: number;
  tokensRemaining: number;
  /** Ms until every entry has left the window (the quota is whole again). */
  resetMs: number;
}

export function emptyBucket(): WindowBucket {
  return { requests: [], tokens: [], tokenTotal: 0 };
}

/** Drops entries that left the window (`at <= now - windowMs`). */
export function prune(bucket: WindowBucket, now: number, windowMs: number): void {
  const cutoff = now - windowMs;
  let r = 0;
  while (r < bucket.requests.length && (bucket.requests[r] as number) <= cutoff) r++;
  if (r) bucket.requests.splice(0, r);
  let t = 0;
  while (t < bucket.tokens.length && (bucket.tokens[t] as TokenEntry).at <= cutoff) {
    bucket.tokenTotal -= (bucket.tokens[t] as TokenEntry).tokens;
    t++;
  }
  if (t) bucket.tokens.splice(0, t);
  if (bucket.tokenTotal < 0) bucket.tokenTotal = 0;
}

/** Admits one request costing `tokens`, or says how long until it would fit. */
export function decide(
  bucket: WindowBucket,
  limits: RateLimits,
  tokens: number,
  now: number,
  windowMs: number,
  id: string,
): WindowDecision {
  prune(bucket, now, windowMs);
  const rpm = limits.requestsPerMinute;
  const tpm = limits.tokensPerMinute;
  let retryMs = 0;
  let limitedBy: LimitedDimension | undefined;
  let exceedsBudget = false;
  const refuse = (dimension: LimitedDimension, ms: number) => {
    if (limitedBy === undefined || ms > retryMs) limitedBy = dimension;
    retryMs = Math.max(retryMs, ms);
  };

  if (rpm !== null && bucket.requests.length + 1 > rpm) {
    // The oldest (count + 1 - rpm) admissions must leave the window first.
    const mustLeave = bucket.requests[bucket.requests.length - rpm] as number;
    refuse('requests', mustLeave + windowMs - now);
  }
  if (tpm !== null && tokens > tpm) {
    exceedsBudget = true;
    refuse('tokens', windowMs);
  } else if (tpm !== null && bucket.tokenTotal + tokens > tpm) {
    const need = bucket.tokenTotal + tokens - tpm;
    let freed = 0;
    let at = now;
    for (const entry of bucket.tokens) {
      freed += entry.tokens;
      at = entry.at;
      if (freed >= need) break;
    }
    refuse('tokens', at + windowMs - now);
  }

  if (limitedBy === undefined) {
    if (rpm !== null) bucket.requests.push(now);
    if (tpm !== null) {
      bucket.tokens.push({ id, at: now, tokens });
      bucket.tokenTotal += tokens;
    }
  }
  const decision: WindowDecision = {
    allowed: limitedBy === undefined,
    retryAfterMs: retryMs,
    requestsRemaining: rpm === null ? Number.POSITIVE_INFINITY : rpm - bucket.requests.length,
    tokensRemaining: tpm === null ? Number.POSITIVE_INFINITY : Math.max(0, tpm - bucket.tokenTotal),
    resetMs: resetMs(bucket, now, windowMs),
  };
  if (decision.allowed) decision.id = id;
  else {
    decision.limitedBy = limitedBy;
    decision.exceedsBudget = exceedsBudget;
  }
  return decision;
}

/**
 * Charges (`delta` > 0) or refunds (`delta` < 0) tokens on a lease's entry. Charges are never
 * refused — the tokens were already spent. A refund on an entry that left the window is moot.
 */
export function adjust(
  bucket: WindowBucket,
  tokensPerMinute: number | null,
  id: string,
  delta: number,
  now: number,
  windowMs: number,
): void {
  if (tokensPerMinute === null || delta === 0) return;
  prune(bucket, now, windowMs);
  const index = bucket.tokens.findLastIndex((e) => e.id === id);
  const entry = index >= 0 ? bucket.tokens[index] : undefined;
  if (delta > 0) {
    if (entry) bucket.tokens.splice(index, 1);
    bucket.tokens.push({ id, at: now, tokens: (entry?.tokens ?? 0) + delta });
    bucket.tokenTotal += delta;
  } else if (entry) {
    const refund = Math.min(entry.tokens, -delta);
    entry.tokens -= refund;
    bucket.tokenTotal -= refund;
  }
}

function resetMs(bucket: WindowBucket, now: number, windowMs: number): number {
  const newest = Math.max(
    bucket.requests.at(-1) ?? -Infinity,
    bucket.tokens.at(-1)?.at ?? -Infinity,
  );
  return Number.isFinite(newest) ? Math.max(0, newest + windowMs - now) : 0;
}

export function toQuota(limits: RateLimits, d: WindowDecision): QuotaSnapshot {
  return {
    requestsLimit: limits.requestsPerMinute ?? Number.POSITIVE_INFINITY,
    requestsRemaining: d.requestsRemaining,
    tokensLimit: limits.tokensPerMinute ?? Number.POSITIVE_INFINITY,
    tokensRemaining: d.tokensRemaining,
    resetSeconds: Math.ceil(d.resetMs / 1000),
  };
}
