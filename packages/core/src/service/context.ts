/** Which door a request came in by; recorded in usage and metrics. */
export type Door = 'trpc' | 'rest' | 'openai' | 'anthropic' | 'ollama';

/** The authenticated caller, as the transport resolved it from its API key. */
export interface Caller {
  /** A non-secret id of the API key (e.g. `key_3f2a…`), or null for anonymous callers. */
  keyId: string | null;
  admin: boolean;
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
