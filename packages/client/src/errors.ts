import { TRPCClientError } from '@trpc/client';
import type { inferRouterError } from '@trpc/server';
import type { AppRouter } from './router-types.js';

/** The gateway's stable error codes (architecture.md, "Error codes"), from its error shape. */
export type GatewayErrorCode = inferRouterError<AppRouter>['data']['gatewayCode'];

/** Plus `NETWORK_ERROR`: no gateway answer arrived at all (DNS, refused connection, CORS). */
export type GatewayClientErrorCode = GatewayErrorCode | 'NETWORK_ERROR';

/** One invalid input field: `path` is dotted (`messages.0.content`), `message` says why. */
export interface GatewayFieldError {
  path: string;
  message: string;
}

export interface GatewayClientErrorOptions {
  httpStatus?: number;
  fieldErrors?: GatewayFieldError[];
  retryAfterSeconds?: number;
  details?: Record<string, unknown>;
  cause?: unknown;
}

/**
 * Every failure the SDK's helpers surface. Plain tRPC calls reject with `TRPCClientError`; turn
 * one into this with `GatewayClientError.from(error)` to read the stable code without digging
 * into `error.data`.
 */
export class GatewayClientError extends Error {
  override readonly name = 'GatewayClientError';
  readonly gatewayCode: GatewayClientErrorCode;
  readonly httpStatus: number | undefined;
  /** Per-field problems for BAD_REQUEST (and template errors); empty otherwise. */
  readonly fieldErrors: GatewayFieldError[];
  /** Seconds to wait before retrying (RATE_LIMITED, OVERLOADED). */
  readonly retryAfterSeconds: number | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: GatewayClientErrorCode,
    message: string,
    options: GatewayClientErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.gatewayCode = code;
    this.httpStatus = options.httpStatus;
    this.fieldErrors = options.fieldErrors ?? [];
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.details = options.details;
  }

  /** Converts anything a tRPC call or subscription threw; an existing GatewayClientError is kept. */
  static from(error: unknown): GatewayClientError {
    if (error instanceof GatewayClientError) return error;
    if (isAbortError(error)) {
      return new GatewayClientError('CANCELLED', 'The request was cancelled', { cause: error });
    }
    if (error instanceof TRPCClientError) return fromTRPCClientError(error);
    const message = error instanceof Error ? error.message : String(error);
    return new GatewayClientError('NETWORK_ERROR', message || 'Network error', { cause: error });
  }
}

export function isGatewayClientError(error: unknown): error is GatewayClientError {
  return error instanceof GatewayClientError;
}

/** tRPC's own codes (errors raised before the gateway's formatter added a gatewayCode). */
const CODE_BY_TRPC_CODE: Record<string, GatewayErrorCode> = {
  PARSE_ERROR: 'BAD_REQUEST',
  BAD_REQUEST: 'BAD_REQUEST',
  UNPROCESSABLE_CONTENT: 'BAD_REQUEST',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  METHOD_NOT_SUPPORTED: 'METHOD_NOT_ALLOWED',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  TOO_MANY_REQUESTS: 'RATE_LIMITED',
  CLIENT_CLOSED_REQUEST: 'CANCELLED',
  TIMEOUT: 'REQUEST_TIMEOUT',
  GATEWAY_TIMEOUT: 'UPSTREAM_TIMEOUT',
  BAD_GATEWAY: 'UPSTREAM_ERROR',
  SERVICE_UNAVAILABLE: 'UPSTREAM_UNAVAILABLE',
  NOT_IMPLEMENTED: 'NOT_IMPLEMENTED',
};

function fromTRPCClientError(error: TRPCClientError<never>): GatewayClientError {
  const data = asRecord(error.data);
  if (!data) {
    // No error shape: the request never got a tRPC answer (network, CORS, non-tRPC proxy reply).
    // An SSE stream refused with a plain HTTP status (e.g. a proxy's 401) carries only the status.
    const cause = error.cause;
    if (isAbortError(cause)) return GatewayClientError.from(cause);
    const status = asRecord(cause)?.code;
    const byStatus = typeof status === 'number' ? codeForHttpStatus(status) : undefined;
    return new GatewayClientError(byStatus ?? 'NETWORK_ERROR', error.message || 'Network error', {
      httpStatus: byStatus ? (status as number) : undefined,
      cause: error,
    });
  }
  const gatewayCode =
    typeof data.gatewayCode === 'string'
      ? (data.gatewayCode as GatewayErrorCode)
      : (CODE_BY_TRPC_CODE[String(data.code)] ?? 'INTERNAL');
  return new GatewayClientError(gatewayCode, error.message, {
    httpStatus: typeof data.httpStatus === 'number' ? data.httpStatus : undefined,
    fieldErrors: readFieldErrors(data),
    retryAfterSeconds:
      typeof data.retryAfterSeconds === 'number' ? data.retryAfterSeconds : undefined,
    details: asRecord(data.details),
    cause: error,
  });
}

const CODE_BY_HTTP_STATUS: Record<number, GatewayErrorCode> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  408: 'REQUEST_TIMEOUT',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  499: 'CANCELLED',
  501: 'NOT_IMPLEMENTED',
  502: 'UPSTREAM_ERROR',
  503: 'UPSTREAM_UNAVAILABLE',
  504: 'UPSTREAM_TIMEOUT',
};

/** A status without a gateway error body (a proxy's answer): the closest code. */
export function codeForHttpStatus(status: number): GatewayErrorCode | undefined {
  const exact = CODE_BY_HTTP_STATUS[status];
  if (exact) return exact;
  if (status >= 400 && status < 500) return 'BAD_REQUEST';
  if (status >= 500 && status < 600) return 'INTERNAL';
  return undefined;
}

/** Accepts the gateway's `fieldErrors: [{path, message}]` and zod's `flattenError` shape. */
function readFieldErrors(data: Record<string, unknown>): GatewayFieldError[] {
  if (Array.isArray(data.fieldErrors)) {
    return data.fieldErrors.flatMap((entry) => {
      const item = asRecord(entry);
      return item ? [{ path: String(item.path ?? ''), message: String(item.message ?? '') }] : [];
    });
  }
  const flattened = asRecord(asRecord(data.zodError)?.fieldErrors);
  if (!flattened) return [];
  return Object.entries(flattened).flatMap(([path, messages]) =>
    Array.isArray(messages) ? messages.map((message) => ({ path, message: String(message) })) : [],
  );
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>)
    : undefined;
}

function isAbortError(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    'name' in error &&
    (error.name === 'AbortError' || error.name === 'TimeoutError')
  );
}
