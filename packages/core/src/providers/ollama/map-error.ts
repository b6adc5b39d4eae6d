import { GatewayError } from '../../errors.js';
import type { CallOutcome } from './call-outcome.js';

/** Node network error codes that mean "nobody answered at that address". */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ECONNRESET',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

export const NO_DONE_MESSAGE = 'Did not receive done or success response in stream.';

export interface ErrorContext {
  upstream: string;
  /** The operation, for messages (`chat`, `embed`, …). */
  operation: string;
  /** The response is an NDJSON stream (a cut body is an interrupted stream). */
  streaming: boolean;
}

/**
 * Turns whatever the ollama client or fetch threw into a GatewayError. The call's recorded
 * outcome decides first (who aborted, timer, error line), the HTTP status next, messages never.
 */
export function toGatewayUpstreamError(
  error: unknown,
  outcome: CallOutcome,
  ctx: ErrorContext,
  timeoutMs: number,
): GatewayError {
  if (error instanceof GatewayError) return error;
  const base = { upstream: ctx.upstream, cause: error };
  if (outcome.cancelled) {
    return new GatewayError('CANCELLED', `The ${ctx.operation} request was cancelled`, base);
  }
  if (outcome.timedOut) {
    const phase = outcome.headersReceived ? 'went silent for' : 'did not answer within';
    return new GatewayError('UPSTREAM_TIMEOUT', `Upstream ${phase} ${timeoutMs} ms`, base);
  }
  if (outcome.malformedLine !== undefined) {
    return new GatewayError('STREAM_INTERRUPTED', 'Upstream sent a malformed stream line', {
      ...base,
      details: { line: outcome.malformedLine },
    });
  }
  if (outcome.errorLine !== undefined) {
    return new GatewayError('STREAM_INTERRUPTED', `Upstream stream failed: ${outcome.errorLine}`, {
      ...base,
      details: { upstreamMessage: outcome.errorLine },
    });
  }
  const status = responseStatus(error);
  if (status !== undefined) return fromStatus(status, messageOf(error), outcome, base);
  if (error instanceof Error && error.message === NO_DONE_MESSAGE) {
    return new GatewayError('STREAM_INTERRUPTED', 'Upstream stream ended before done', base);
  }
  if (!outcome.headersReceived) {
    const code = networkCode(error);
    if (code === undefined || UNREACHABLE_CODES.has(code) || isFetchFailed(error)) {
      return new GatewayError(
        'UPSTREAM_UNAVAILABLE',
        `Upstream ${ctx.upstream} is unreachable${code ? ` (${code})` : ''}`,
        base,
      );
    }
  }
  if (ctx.streaming) {
    return new GatewayError('STREAM_INTERRUPTED', 'Upstream closed the stream before done', base);
  }
  return new GatewayError('UPSTREAM_ERROR', `Upstream ${ctx.operation} failed`, base);
}

/**
 * A non-2xx answer. Ollama answers a request it cannot serve with a status and an `{"error"}`
 * body: that is the request's answer (a 5xx among them: Ollama failing on this input). A 5xx
 * without that body did not come from Ollama answering the request (a proxy in front of a dead
 * Ollama, a crashed server): the upstream's own failure.
 */
function fromStatus(
  status: number,
  message: string,
  outcome: CallOutcome,
  base: { upstream: string; cause: unknown },
): GatewayError {
  if (status === 503 || status === 429) {
    return new GatewayError('OVERLOADED', message, {
      ...base,
      retryAfterSeconds: outcome.retryAfterSeconds ?? 1,
    });
  }
  if (status === 499) return new GatewayError('CANCELLED', message, base);
  if (status === 404 && outcome.errorBody)
    return new GatewayError('MODEL_NOT_FOUND', message, base);
  if (status >= 500 && !outcome.errorBody) {
    const code = status === 504 ? 'UPSTREAM_TIMEOUT' : 'UPSTREAM_UNAVAILABLE';
    return new GatewayError(
      code,
      `Upstream answered ${status} without an error body: ${message}`,
      base,
    );
  }
  if (status >= 400 && status < 500) {
    const text = outcome.errorBody ? message : `Upstream answered ${status}: ${message}`;
    return new GatewayError(status === 404 ? 'UPSTREAM_ERROR' : 'BAD_REQUEST', text, base);
  }
  return new GatewayError('UPSTREAM_ERROR', message, base);
}

function responseStatus(error: unknown): number | undefined {
  if (error instanceof Error && error.name === 'ResponseError') {
    const status = (error as Error & { status_code?: unknown }).status_code;
    if (typeof status === 'number') return status;
  }
  return undefined;
}

function messageOf(error: unknown): string {
  if (error instanceof Error) {
    const upstream = (error as Error & { error?: unknown }).error;
    return typeof upstream === 'string' ? upstream : error.message;
  }
  return String(error);
}

function networkCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function isFetchFailed(error: unknown): boolean {
  return error instanceof TypeError && error.message === 'fetch failed';
}
