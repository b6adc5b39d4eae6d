import type { IncomingMessage, ServerResponse } from 'node:http';
import { badRequest, type GatewayService, type RequestContext } from '@intellicore/llm-core';
import type { Caller } from '../auth.js';
import { RouteError } from '../errors.js';
import type { OpenStreams } from '../http/stream-pump.js';
import type { RequestRecord } from '../observability/request-record.js';

/** What the plain-HTTP fronts (/v1, /api) are built with. */
export interface FrontDeps {
  service: GatewayService;
  maxBodyBytes: number;
  logPrompts: boolean;
  /** Counts open streaming responses (metrics; graceful shutdown waits for them). */
  streams: OpenStreams;
  /** Keep-alive interval of the streams that ping (SSE_PING_MS). */
  pingMs: number;
}

/** One request as a front handler sees it: auth is done, the log record is open. */
export interface FrontCall {
  req: IncomingMessage;
  res: ServerResponse;
  record: RequestRecord;
  caller: Caller;
  /** The path without the front's prefix and query (`/chat/completions`, `/tags`). */
  path: string;
  /** Fires when the client goes away; created lazily. */
  signal(): AbortSignal;
  context(door: RequestContext['door']): RequestContext;
}

export type FrontHandler = (call: FrontCall) => Promise<void>;

export function requireMethod(actual: string | undefined, expected: string): void {
  if (actual !== expected)
    throw new RouteError(405, `Method ${actual} not allowed; use ${expected}`);
}

/** A percent-encoded path segment, decoded; malformed escapes (`%ZZ`, a cut UTF-8 sequence) are
 * the caller's mistake: BAD_REQUEST naming the URL, never a URIError (500). */
export function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw badRequest(
      [{ path: 'url', message: `has malformed percent-encoding: ${segment.slice(0, 100)}` }],
      'The URL has malformed percent-encoding',
    );
  }
}
