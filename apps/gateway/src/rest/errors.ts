import type { ServerResponse } from 'node:http';
import { HTTP_STATUS_BY_CODE } from '@intellicore/llm-core';
import type { GatewayErrorShape } from '../trpc-error-format.js';

/** The REST front's error body: `{ "error": { code, message, details?, fieldErrors? } }`. */
export interface RestErrorBody {
  error: {
    code: string;
    message: string;
    details?: Record<string, unknown>;
    fieldErrors?: { path: string; message: string }[];
  };
}

/** The body of a failed call, from the gateway's tRPC error shape (same code and message). */
export function restErrorBody(shape: GatewayErrorShape): RestErrorBody {
  const { gatewayCode, details, fieldErrors } = shape.data;
  const error: RestErrorBody['error'] = { code: gatewayCode, message: shape.message };
  if (details) error.details = details;
  if (fieldErrors) error.fieldErrors = fieldErrors;
  return { error };
}

/**
 * Writes a failed call with the status of its code (as on `/v1` and `/api`) and `Retry-After`
 * for RATE_LIMITED / OVERLOADED / BUDGET_EXCEEDED; `Allow` for a 405.
 */
export function sendRestError(
  res: ServerResponse,
  shape: GatewayErrorShape,
  allow?: readonly string[],
): void {
  const body = JSON.stringify(restErrorBody(shape));
  const headers: Record<string, string | number> = {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  };
  const seconds = shape.data.retryAfterSeconds;
  if (seconds !== null) headers['retry-after'] = String(Math.max(1, Math.ceil(seconds)));
  if (allow) headers.allow = allow.join(', ');
  res.writeHead(HTTP_STATUS_BY_CODE[shape.data.gatewayCode], headers);
  res.end(body);
}
