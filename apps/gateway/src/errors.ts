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
  MODEL_NOT_ALLOWED: 'FORBIDDEN',
  MODEL_NOT_FOUND: 'NOT_FOUND',
  TEMPLATE_NOT_FOUND: 'NOT_FOUND',
  TEMPLATE_INVALID: 'UNPROCESSABLE_CONTENT',
  MISSING_VARIABLES: 'UNPROCESSABLE_CONTENT',
  RATE_LIMITED: 'TOO_MANY_REQUESTS',
  OVERLOADED: 'SERVICE_UNAVAILABLE',
  UPSTREAM_UNAVAILABLE: 'BAD_GATEWAY',
  UPSTREAM_TIMEOUT: 'GATEWAY_TIMEOUT',
  UPSTREAM_ERROR: 'BAD_GATEWAY',
  STREAM_INTERRUPTED: 'BAD_GATEWAY',
  CANCELLED: 'CLIENT_CLOSED_REQUEST',
  INTERNAL: 'INTERNAL_SERVER_ERROR',
};

/** tRPC's own errors (no GatewayError behind them) in the gateway's vocabulary. */
export function gatewayCodeOfTrpcCode(code: TRPC_ERROR_CODE_KEY): GatewayErrorCode {
  switch (code) {
    case 'UNAUTHORIZED':
      return 'UNAUTHORIZED';
    case 'FORBIDDEN':
      return 'FORBIDDEN';
    case 'TOO_MANY_REQUESTS':
      return 'RATE_LIMITED';
    case 'CLIENT_CLOSED_REQUEST':
      return 'CANCELLED';
    case 'INTERNAL_SERVER_ERROR':
      return 'INTERNAL';
    case 'SERVICE_UNAVAILABLE':
      return 'OVERLOADED';
    default:
      return 'BAD_REQUEST';
  }
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

/** An unknown path or method on a plain-HTTP front: BAD_REQUEST in the contract's vocabulary,
 * but with the HTTP status a client expects (404/405). */
export class RouteError extends GatewayError {
  constructor(
    private readonly status: 404 | 405,
    message: string,
  ) {
    super('BAD_REQUEST', message, {
      fieldErrors: [{ path: status === 404 ? 'url' : 'method', message }],
    });
  }

  override get httpStatus(): number {
    return this.status;
  }
}
