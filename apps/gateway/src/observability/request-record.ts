import { randomBytes } from 'node:crypto';

/**
 * What one request did, filled in as it runs (route, model, upstream, tokens, TTFT) and written
 * as ONE log line plus metrics when the response closes. Plain mutable object: cheap on the hot
 * path.
 */
export interface RequestRecord {
  id: string;
  /** performance.now() at arrival. */
  startedAt: number;
  method: string;
  /** Metrics label: a fixed route (`/v1/chat/completions`) or `trpc:<procedure>`. */
  route: string;
  procedure?: string;
  keyId?: string | null;
  model?: string;
  upstream?: string;
  stream?: boolean;
  /** HTTP status (for SSE/NDJSON streams: 200, see `code` for a failure inside the stream). */
  status?: number;
  /** Gateway error code when the request failed. */
  code?: string;
  ttftMs?: number;
  promptTokens?: number;
  completionTokens?: number;
  cached?: boolean;
  /** Only with LOG_PROMPTS=true. */
  prompt?: unknown;
  completion?: string;
}

const prefix = randomBytes(4).toString('hex');
let counter = 0;

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** Keeps a sane incoming `x-request-id`; otherwise a cheap unique id (no crypto per request). */
export function requestIdFrom(header: string | string[] | undefined): string {
  if (typeof header === 'string' && REQUEST_ID.test(header)) return header;
  counter = (counter + 1) % Number.MAX_SAFE_INTEGER;
  return `${prefix}-${counter.toString(36)}`;
}

export function newRecord(method: string, route: string, id: string): RequestRecord {
  return { id, startedAt: performance.now(), method, route };
}
