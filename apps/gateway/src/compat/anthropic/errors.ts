import type { ServerResponse } from 'node:http';
import { type GatewayError, type GatewayErrorCode, toGatewayError } from '@intellicore/llm-core';
import { publicMessage } from '../../errors.js';
import { sendJson, setRetryAfter } from '../../http/respond.js';
import { sseEvent } from '../sse.js';

/**
 * Gateway codes as Anthropic errors: `[status, error.type]`. Anthropic's clients (its SDKs,
 * Claude Code) decide by status and type whether to retry, so the two transient codes keep
 * their meaning in Anthropic's words:
 * - OVERLOADED (queue full, upstream busy) → 529 `overloaded_error`, Anthropic's own "try
 *   again shortly" (its SDKs retry 529, honouring Retry-After);
 * - UPSTREAM_UNAVAILABLE (no usable upstream for the model) → 503 `overloaded_error`: still
 *   transient, as Ollama's own /v1/messages types a 503, but the status tells it apart.
 * Codes that only the gateway has take the status of every other door.
 */
const ANTHROPIC_ERRORS: Partial<Record<GatewayErrorCode, [number, string]>> = {
  OVERLOADED: [529, 'overloaded_error'],
  UPSTREAM_UNAVAILABLE: [503, 'overloaded_error'],
  PAYLOAD_TOO_LARGE: [413, 'request_too_large'],
  UPSTREAM_TIMEOUT: [504, 'timeout_error'],
  REQUEST_TIMEOUT: [408, 'timeout_error'],
  CONFLICT: [409, 'conflict_error'],
};

function typeOf(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 429) return 'rate_limit_error';
  if (status < 500) return 'invalid_request_error';
  return 'api_error';
}

export function anthropicStatus(error: GatewayError): number {
  return ANTHROPIC_ERRORS[error.code]?.[0] ?? error.httpStatus;
}

/** Anthropic's error body; `error.code` adds the gateway's stable code (clients ignore it). */
export function anthropicError(error: GatewayError) {
  const known = ANTHROPIC_ERRORS[error.code];
  return {
    type: 'error' as const,
    error: {
      type: known?.[1] ?? typeOf(error.httpStatus),
      message: publicMessage(error),
      code: error.code,
    },
  };
}

export function sendAnthropicError(res: ServerResponse, thrown: unknown): GatewayError {
  const error = toGatewayError(thrown);
  setRetryAfter(res, error.retryAfterSeconds);
  sendJson(res, anthropicStatus(error), anthropicError(error));
  return error;
}

/** A failure after the stream began: Anthropic's `error` event (its SDKs throw it). */
export function anthropicErrorFrame(thrown: unknown): string {
  return sseEvent('error', anthropicError(toGatewayError(thrown)));
}
