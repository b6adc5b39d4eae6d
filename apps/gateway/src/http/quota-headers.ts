import type { ServerResponse } from 'node:http';

/** Remaining quota after the rate limiter decided (same shape as core's QuotaSnapshot). */
export interface QuotaInfo {
  requestsLimit: number;
  requestsRemaining: number;
  tokensLimit: number;
  tokensRemaining: number;
  resetSeconds: number;
}

/** A limit worth announcing: an unset one (0 = unlimited, reported as Infinity) has no header. */
const isLimited = (limit: number) => Number.isFinite(limit) && limit > 0;

/**
 * `X-RateLimit-*` headers (OpenAI's names), set while the response head is still open. Only the
 * limits that apply are announced: a key limited by tokens alone gets no request headers.
 */
export function quotaHeaders(res: ServerResponse): (quota: QuotaInfo) => void {
  return (q) => {
    if (res.headersSent) return;
    const requests = isLimited(q.requestsLimit);
    const tokens = isLimited(q.tokensLimit);
    if (requests) {
      res.setHeader('x-ratelimit-limit-requests', String(q.requestsLimit));
      res.setHeader('x-ratelimit-remaining-requests', String(remaining(q.requestsRemaining)));
    }
    if (tokens) {
      res.setHeader('x-ratelimit-limit-tokens', String(q.tokensLimit));
      res.setHeader('x-ratelimit-remaining-tokens', String(remaining(q.tokensRemaining)));
    }
    if (requests || tokens) res.setHeader('x-ratelimit-reset', String(Math.ceil(q.resetSeconds)));
  };
}

const remaining = (n: number) => (Number.isFinite(n) ? Math.max(0, Math.floor(n)) : 0);
