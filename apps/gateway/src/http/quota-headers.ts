import type { ServerResponse } from 'node:http';

/** Remaining quota after the rate limiter decided (same shape as core's QuotaSnapshot). */
export interface QuotaInfo {
  requestsLimit: number;
  requestsRemaining: number;
  tokensLimit: number;
  tokensRemaining: number;
  resetSeconds: number;
}

/** `X-RateLimit-*` headers (OpenAI's names), set while the response head is still open. */
export function quotaHeaders(res: ServerResponse): (quota: QuotaInfo) => void {
  return (q) => {
    if (res.headersSent) return;
    res.setHeader('x-ratelimit-limit-requests', String(q.requestsLimit));
    res.setHeader('x-ratelimit-remaining-requests', String(Math.max(0, q.requestsRemaining)));
    res.setHeader('x-ratelimit-limit-tokens', String(q.tokensLimit));
    res.setHeader('x-ratelimit-remaining-tokens', String(Math.max(0, q.tokensRemaining)));
    res.setHeader('x-ratelimit-reset', String(Math.ceil(q.resetSeconds)));
  };
}
