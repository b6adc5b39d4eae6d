import type { IncomingMessage, ServerResponse } from 'node:http';

const ALLOW_METHODS = 'GET, POST, PUT, PATCH, DELETE, OPTIONS';
const DEFAULT_ALLOW_HEADERS =
  'authorization, content-type, trpc-accept, x-trpc-source, x-request-id, last-event-id';
const EXPOSE_HEADERS =
  'x-request-id, retry-after, x-ratelimit-limit-requests, x-ratelimit-remaining-requests, x-ratelimit-limit-tokens, x-ratelimit-remaining-tokens, x-ratelimit-reset';

/**
 * CORS for CORS_ORIGINS (`*` = any origin). Allowed origins get the headers on every answer,
 * SSE included; preflights are answered here (204) without reaching a route.
 */
export class Cors {
  private readonly any: boolean;
  private readonly origins: Set<string>;

  constructor(origins: string[]) {
    this.any = origins.includes('*');
    this.origins = new Set(origins);
  }

  /** Sets the CORS headers; returns true when the request was a preflight and is answered. */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    const origin = req.headers.origin;
    const allowed = origin !== undefined && (this.any || this.origins.has(origin));
    const preflight =
      req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
    if (allowed) {
      res.setHeader('access-control-allow-origin', this.any ? '*' : origin);
      if (!this.any) res.setHeader('vary', 'origin');
      res.setHeader('access-control-expose-headers', EXPOSE_HEADERS);
    }
    if (!preflight) return false;
    if (!allowed) {
      res.writeHead(403, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'Origin not allowed by CORS_ORIGINS' }));
      return true;
    }
    const requested = req.headers['access-control-request-headers'];
    res.writeHead(204, {
      'access-control-allow-methods': ALLOW_METHODS,
      'access-control-allow-headers': requested || DEFAULT_ALLOW_HEADERS,
      'access-control-max-age': '600',
      'content-length': '0',
    });
    res.end();
    return true;
  }
}
