import type { GatewayErrorCode } from '../errors.js';
import type { Caller, Door, QuotaSnapshot } from './context.js';

export type { QuotaSnapshot };

/**
 * Extension points of the request pipeline (allow-list → rate limit → cache → route → provider →
 * usage). The service works without them; limits/, cache and usage stores implement them.
 */

export type Operation = 'chat' | 'generate' | 'embed';

export interface RateLimitLease {
  quota: QuotaSnapshot;
  /** Count tokens as a stream flows (adds to the reservation when it runs past the estimate). */
  consume(tokens: number): Promise<void>;
  /** Settle with the real total (prompt + completion); releases what the estimate over-reserved. */
  settle(actualTokens: number): Promise<void>;
}

export interface RateLimiter {
  /**
   * Takes one request and `estimatedTokens` from the caller's budget, or throws GatewayError
   * RATE_LIMITED with retryAfterSeconds. Never allows everything when its backend is gone.
   * `limits` (a stored key's own) replace the policy's limits for this key, field by field.
   */
  reserve(
    keyId: string | null,
    estimatedTokens: number,
    limits?: Caller['limits'],
  ): Promise<RateLimitLease>;
  close(): Promise<void>;
}

/** A cached answer: the final result object, replayed as one result or as a stream. */
export interface CachedResponse {
  operation: Operation;
  /** The final ChatResult / GenerateResult / EmbedResult as JSON-safe data. */
  result: unknown;
  /** For streamed answers: the deltas, in order, to replay. */
  chunks?: unknown[];
  storedAt: number;
}

export interface ResponseCache {
  get(key: string): Promise<CachedResponse | undefined>;
  set(key: string, value: CachedResponse, ttlSeconds: number): Promise<void>;
  close(): Promise<void>;
}

export interface UsageRecord {
  at: Date;
  requestId?: string;
  keyId: string | null;
  door: Door;
  operation: Operation;
  model: string;
  upstream?: string;
  templateId?: string;
  templateVersion?: number;
  promptTokens: number;
  completionTokens: number;
  ttftMs?: number;
  durationMs: number;
  status: 'ok' | GatewayErrorCode;
  cached: boolean;
}

/** Accepts records without blocking the request; writes them in batches. */
export interface UsageSink {
  record(record: UsageRecord): void;
  flush(): Promise<void>;
  close(): Promise<void>;
}
