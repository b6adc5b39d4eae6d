/**
 * Stable error codes of the public contract. Every failure that leaves core is a GatewayError
 * carrying one of these codes; transports map them to tRPC errors, OpenAI error objects or
 * Ollama's `{"error": …}` without inspecting messages.
 */
export const GATEWAY_ERROR_CODES = [
  'BAD_REQUEST',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'REQUEST_TIMEOUT',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'MODEL_NOT_ALLOWED',
  'MODEL_NOT_FOUND',
  'TEMPLATE_NOT_FOUND',
  'TEMPLATE_INVALID',
  'MISSING_VARIABLES',
  'RATE_LIMITED',
  'BUDGET_EXCEEDED',
  'OVERLOADED',
  'UPSTREAM_UNAVAILABLE',
  'UPSTREAM_TIMEOUT',
  'UPSTREAM_ERROR',
  'STREAM_INTERRUPTED',
  'CANCELLED',
  'NOT_IMPLEMENTED',
  'INTERNAL',
] as const;

export type GatewayErrorCode = (typeof GATEWAY_ERROR_CODES)[number];

/** One invalid input field: `path` is dotted (`messages.0.content`), `message` says why. */
export interface FieldError {
  path: string;
  message: string;
}

/** HTTP status each code answers with on the plain-HTTP fronts (`/v1`, `/api`). */
export const HTTP_STATUS_BY_CODE: Record<GatewayErrorCode, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  REQUEST_TIMEOUT: 408,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  MODEL_NOT_ALLOWED: 403,
  MODEL_NOT_FOUND: 404,
  TEMPLATE_NOT_FOUND: 404,
  TEMPLATE_INVALID: 422,
  MISSING_VARIABLES: 422,
  RATE_LIMITED: 429,
  BUDGET_EXCEEDED: 429,
  OVERLOADED: 503,
  UPSTREAM_UNAVAILABLE: 503,
  UPSTREAM_TIMEOUT: 504,
  UPSTREAM_ERROR: 502,
  STREAM_INTERRUPTED: 502,
  CANCELLED: 499,
  NOT_IMPLEMENTED: 501,
  INTERNAL: 500,
};

export interface GatewayErrorOptions {
  /** Seconds the caller should wait before retrying (RATE_LIMITED, OVERLOADED). */
  retryAfterSeconds?: number;
  /** Per-field problems (BAD_REQUEST, MISSING_VARIABLES, TEMPLATE_INVALID). */
  fieldErrors?: FieldError[];
  /** The upstream involved, when one was. */
  upstream?: string;
  /** Extra machine-readable facts (e.g. `partialText` of an interrupted stream, `rawReply`). */
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class GatewayError extends Error {
  override readonly name = 'GatewayError';
  readonly code: GatewayErrorCode;
  readonly retryAfterSeconds: number | undefined;
  readonly fieldErrors: FieldError[] | undefined;
  readonly upstream: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: GatewayErrorCode, message: string, options: GatewayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.fieldErrors = options.fieldErrors;
    this.upstream = options.upstream;
    this.details = options.details;
  }

  get httpStatus(): number {
    return HTTP_STATUS_BY_CODE[this.code];
  }

  /** A client-safe plain object: no stack, no cause. */
  toJSON(): {
    code: GatewayErrorCode;
    message: string;
    retryAfterSeconds?: number;
    fieldErrors?: FieldError[];
    details?: Record<string, unknown>;
  } {
    return {
      code: this.code,
      message: this.message,
      ...(this.retryAfterSeconds === undefined
        ? {}
        : { retryAfterSeconds: this.retryAfterSeconds }),
      ...(this.fieldErrors === undefined ? {} : { fieldErrors: this.fieldErrors }),
      ...(this.details === undefined ? {} : { details: this.details }),
    };
  }
}

export function isGatewayError(error: unknown): error is GatewayError {
  return error instanceof GatewayError;
}

/** Wraps anything thrown into a GatewayError; unknown throws become INTERNAL with a generic message. */
export function toGatewayError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  return new GatewayError('INTERNAL', 'Internal gateway error', { cause: error });
}

export function badRequest(fieldErrors: FieldError[], message?: string): GatewayError {
  const text =
    message ?? fieldErrors.map((f) => (f.path ? `${f.path}: ${f.message}` : f.message)).join('; ');
  return new GatewayError('BAD_REQUEST', text || 'Bad request', { fieldErrors });
}
