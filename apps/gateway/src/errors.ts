import {
  badRequest,
  type FieldError,
  GatewayError,
  type GatewayErrorCode,
} from '@intellicore/llm-core';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server';

/** How each gateway code travels as a tRPC error (the HTTP status follows from it). */
export const TRPC_CODE_BY_GATEWAY_CODE: Record<GatewayErrorCode, TRPC_ERROR_CODE_KEY> = {
  BAD_REQUEST: 'BAD_REQUEST',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  METHOD_NOT_ALLOWED: 'METHOD_NOT_SUPPORTED',
  REQUEST_TIMEOUT: 'TIMEOUT',
  CONFLICT: 'CONFLICT',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  MODEL_NOT_ALLOWED: 'FORBIDDEN',
  MODEL_NOT_FOUND: 'NOT_FOUND',
  TEMPLATE_NOT_FOUND: 'NOT_FOUND',
  TEMPLATE_INVALID: 'UNPROCESSABLE_CONTENT',
  MISSING_VARIABLES: 'UNPROCESSABLE_CONTENT',
  RATE_LIMITED: 'TOO_MANY_REQUESTS',
  BUDGET_EXCEEDED: 'TOO_MANY_REQUESTS',
  OVERLOADED: 'SERVICE_UNAVAILABLE',
  UPSTREAM_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  UPSTREAM_TIMEOUT: 'GATEWAY_TIMEOUT',
  UPSTREAM_ERROR: 'BAD_GATEWAY',
  STREAM_INTERRUPTED: 'BAD_GATEWAY',
  CANCELLED: 'CLIENT_CLOSED_REQUEST',
  NOT_IMPLEMENTED: 'NOT_IMPLEMENTED',
  INTERNAL: 'INTERNAL_SERVER_ERROR',
};

/** tRPC's own errors (no GatewayError behind them) in the gateway's vocabulary: each tRPC code
 * keeps its own meaning (an unknown procedure is NOT_FOUND, a huge body PAYLOAD_TOO_LARGE). */
export const GATEWAY_CODE_BY_TRPC_CODE: Record<TRPC_ERROR_CODE_KEY, GatewayErrorCode> = {
  PARSE_ERROR: 'BAD_REQUEST',
  BAD_REQUEST: 'BAD_REQUEST',
  UNPROCESSABLE_CONTENT: 'BAD_REQUEST',
  PRECONDITION_FAILED: 'BAD_REQUEST',
  PRECONDITION_REQUIRED: 'BAD_REQUEST',
  UNAUTHORIZED: 'UNAUTHORIZED',
  PAYMENT_REQUIRED: 'BUDGET_EXCEEDED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  METHOD_NOT_SUPPORTED: 'METHOD_NOT_ALLOWED',
  TIMEOUT: 'REQUEST_TIMEOUT',
  CONFLICT: 'CONFLICT',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  TOO_MANY_REQUESTS: 'RATE_LIMITED',
  CLIENT_CLOSED_REQUEST: 'CANCELLED',
  INTERNAL_SERVER_ERROR: 'INTERNAL',
  NOT_IMPLEMENTED: 'NOT_IMPLEMENTED',
  BAD_GATEWAY: 'UPSTREAM_ERROR',
  SERVICE_UNAVAILABLE: 'UPSTREAM_UNAVAILABLE',
  GATEWAY_TIMEOUT: 'UPSTREAM_TIMEOUT',
};

export function gatewayCodeOfTrpcCode(code: TRPC_ERROR_CODE_KEY): GatewayErrorCode {
  return GATEWAY_CODE_BY_TRPC_CODE[code] ?? 'INTERNAL';
}

interface IssueLike {
  path?: ReadonlyArray<PropertyKey | { key: PropertyKey }>;
  message: string;
}

/** zod (or any Standard Schema) issues → dotted field errors (`messages.0.content`). */
export function fieldErrorsFromIssues(issues: readonly IssueLike[], prefix = ''): FieldError[] {
  return issues.map((issue) => {
    const parts = (issue.path ?? []).map((p) =>
      typeof p === 'object' && p !== null ? String(p.key) : String(p),
    );
    const path = [prefix, ...parts].filter(Boolean).join('.');
    return { path, message: issue.message };
  });
}

export function hasIssues(value: unknown): value is { issues: IssueLike[] } {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as { issues?: unknown }).issues)
  );
}

/** A validation failure as a GatewayError (BAD_REQUEST naming every field). */
export function invalidInput(issues: readonly IssueLike[], prefix = ''): GatewayError {
  return badRequest(fieldErrorsFromIssues(issues, prefix));
}

/** The message clients see: never an internal error's own text. */
export function publicMessage(error: GatewayError): string {
  return error.code === 'INTERNAL' ? 'Internal gateway error' : error.message;
}

/** An unknown path (NOT_FOUND, 404) or a wrong method (METHOD_NOT_ALLOWED, 405) on a front. */
export class RouteError extends GatewayError {
  constructor(status: 404 | 405, message: string) {
    super(status === 404 ? 'NOT_FOUND' : 'METHOD_NOT_ALLOWED', message, {
      fieldErrors: [{ path: status === 404 ? 'url' : 'method', message }],
    });
  }
}
