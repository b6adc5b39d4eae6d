import { randomBytes } from 'node:crypto';
import type { Operation, RequestTrace, TimelineStep } from '@intellicore/llm-core';
import type { RequestSpan } from './tracing.js';

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
  /** What core resolved (RequestTrace.begin): operation, model asked, sampling, template. */
  operation?: Operation;
  requestedModel?: string;
  temperature?: number;
  maxTokens?: number;
  template?: string;
  /** The key's display name (stored keys), else its id. */
  keyName?: string;
  /** Phases as ms offsets from arrival: the request log's timeline. */
  timeline?: TimelineStep[];
  /** The core-facing trace of this request (one per record). */
  trace?: RequestTrace;
  /** The server span when tracing is on. */
  span?: RequestSpan;
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
