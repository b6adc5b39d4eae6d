import { GatewayError } from '../errors.js';
import type { QuotaSnapshot, RateLimitLease } from '../service/hooks.js';
import type { WindowDecision } from './sliding-window.js';

/** Receives state changes and backend trouble; bridge it to the gateway's logger. */
export type BackendLog = (
  level: 'info' | 'warn',
  message: string,
  details?: Record<string, unknown>,
) => void;

/** A token count as the backends take it: a whole number ≥ 0 (garbage counts as 0). */
export function tokenCount(n: number): number {
  return Number.isFinite(n) && n > 0 ? Math.ceil(n) : 0;
}

/** Tokens a stream is charged ahead once it runs past its estimate. */
const CHARGE_STEP = 64;

/**
 * A reservation of `reserved` tokens. `consume` grows it as a stream runs past the estimate;
 * `settle` moves it to the real total once. Never throws: a lost backend must not break a
 * response that is already flowing (`onError` hears about it instead).
 */
export class TokenLease implements RateLimitLease {
  private reserved: number;
  private consumed = 0;
  private settled = false;

  constructor(
    readonly quota: QuotaSnapshot,
    estimatedTokens: number,
    private readonly adjust: (delta: number) => Promise<void>,
    private readonly onError: (error: unknown) => void,
  ) {
    this.reserved = estimatedTokens;
  }

  async consume(tokens: number): Promise<void> {
    if (this.settled || !(tokens > 0)) return;
    this.consumed += tokenCount(tokens);
    if (this.consumed > this.reserved) {
      // Charge ahead in steps, so a long stream costs a backend call per step, not per chunk;
      // `settle` corrects the last step.
      const delta = Math.max(this.consumed - this.reserved, CHARGE_STEP);
      this.reserved += delta;
      await this.apply(delta);
    }
  }

  async settle(actualTokens: number): Promise<void> {
    if (this.settled) return;
    this.settled = true;
    const actual = Number.isFinite(actualTokens) ? tokenCount(actualTokens) : this.reserved;
    const delta = actual - this.reserved;
    this.reserved = actual;
    if (delta !== 0) await this.apply(delta);
  }

  private async apply(delta: number): Promise<void> {
    try {
      await this.adjust(delta);
    } catch (error) {
      this.onError(error);
    }
  }
}

/**
 * The lease of a key without limits (a stored key may lift them, or only stored keys have any):
 * nothing to count. One shared object, so the request scope can tell it and skip the per-chunk
 * metering a real lease needs.
 */
export const UNLIMITED_LEASE: RateLimitLease = Object.freeze({
  quota: Object.freeze({
    requestsLimit: Number.POSITIVE_INFINITY,
    requestsRemaining: Number.POSITIVE_INFINITY,
    tokensLimit: Number.POSITIVE_INFINITY,
    tokensRemaining: Number.POSITIVE_INFINITY,
    resetSeconds: 0,
  }),
  consume: async () => {},
  settle: async () => {},
});

/** The RATE_LIMITED error of a refused decision, with the exact wait. */
export function rateLimitedError(
  decision: WindowDecision,
  quota: QuotaSnapshot,
  estimatedTokens: number,
): GatewayError {
  const retryAfterSeconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
  const message = decision.exceedsBudget
    ? `Request needs about ${estimatedTokens} tokens, more than the ${quota.tokensLimit} tokens per minute allowed for this API key`
    : `Rate limit exceeded (${decision.limitedBy} per minute); retry in ${retryAfterSeconds} s`;
  return new GatewayError('RATE_LIMITED', message, {
    retryAfterSeconds,
    details: {
      limitedBy: decision.limitedBy,
      estimatedTokens,
      quota,
      ...(decision.exceedsBudget ? { exceedsBudget: true } : {}),
    },
  });
}
