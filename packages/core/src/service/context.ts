import type { KeyBudget } from '../keys/key-model.js';
import type { RequestTrace } from '../tracing/request-trace.js';

/** Which door a request came in by; recorded in usage and metrics. */
export type Door = 'trpc' | 'rest' | 'openai' | 'anthropic' | 'ollama';

/**
 * The authenticated caller, as the transport resolved it from its API key. Core decides what a
 * caller may do from this alone (`authorization.ts`, `request-caps.ts`, the model list in
 * gateway-service-impl, limits and budget in request-scope), whichever door the request came in
 * by. Stored keys (keys/key-directory.ts) fill the optional fields; env keys leave them unset.
 */
export interface Caller {
  /** A non-secret id of the API key (e.g. `key_3f2a…`), or null for anonymous callers. */
  keyId: string | null;
  /** The key's display name (stored keys); env keys have none: show `keyId` then. Never the secret. */
  name?: string;
  /** The admin scope: model pull/delete, template writes, usage, full health details. */
  admin: boolean;
  /** This key's own caps, replacing the gateway's defaults field by field (admins have none). */
  caps?: Partial<RequestCaps>;
  /** Models this key may use (besides the gateway's allow-list); absent = all of those. */
  models?: readonly string[];
  /** Per-minute limits replacing the gateway's defaults for this key, field by field (null =
   * unlimited, absent = the default). */
  limits?: { requestsPerMinute?: number | null; tokensPerMinute?: number | null };
  /** Tokens this key may spend per period; over it → BUDGET_EXCEEDED. */
  budget?: KeyBudget;
}

/** What every service call gets from the transport besides its input. */
export interface RequestContext {
  caller: Caller;
  door: Door;
  /** Fires when the client goes away; must reach the upstream. */
  signal?: AbortSignal;
  requestId?: string;
  /** Skip the response cache for this request. */
  noCache?: boolean;
  /** Set when the request renders a stored template; recorded in usage and part of the cache key. */
  template?: { id: string; version: number };
  /** Called with the caller's remaining quota once the rate limiter decided (HTTP headers). */
  onQuota?: (quota: QuotaSnapshot) => void;
  /** Told the request's phases as they happen (request log timeline, tracing spans). */
  trace?: RequestTrace;
}

/** Remaining quota after a decision; transports turn it into `X-RateLimit-*` headers. */
export interface QuotaSnapshot {
  requestsLimit: number;
  requestsRemaining: number;
  tokensLimit: number;
  tokensRemaining: number;
  /** Seconds until the window frees capacity again. */
  resetSeconds: number;
}

/** The per-request caps of a caller without admin scope (see request-caps.ts). */
export interface RequestCaps {
  /** Largest `options.num_ctx`, tokens; 0 = no cap. */
  maxNumCtx: number;
  /**
   * Largest `options.num_predict`, tokens; 0 = no cap. With a cap, -1/-2 (no limit) are refused
   * and a request that gives none is sent to Ollama upstreams with this value (Ollama's own
   * default is "no limit"; the embedded engine already stops at the end of its context).
   */
  maxNumPredict: number;
  /** Longest keep_alive, ms (finite: "keep loaded forever" is for admin keys only). */
  maxKeepAliveMs: number;
}
