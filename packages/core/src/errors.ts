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

const PARTIAL = ['partialText', 'partialThinking'] as const;

/**
 * The `details` fields each code may show to callers (the README lists them). Anything else a
 * GatewayError carries (an upstream's raw error line, a malformed stream line) stays inside the
 * gateway: transports send `publicDetails(error)`, never `error.details`.
 */
export const PUBLIC_DETAILS: Readonly<Partial<Record<GatewayErrorCode, readonly string[]>>> = {
  FORBIDDEN: ['operation', 'id'],
  PAYLOAD_TOO_LARGE: ['limitBytes'],
  MODEL_NOT_ALLOWED: ['model'],
  MODEL_NOT_FOUND: ['model', 'status'],
  TEMPLATE_NOT_FOUND: ['id'],
  TEMPLATE_INVALID: ['violations', 'limit'],
  MISSING_VARIABLES: ['missing'],
  RATE_LIMITED: ['limitedBy', 'estimatedTokens', 'quota', 'exceedsBudget'],
  BUDGET_EXCEEDED: ['resetsAt'],
  OVERLOADED: PARTIAL,
  UPSTREAM_UNAVAILABLE: PARTIAL,
  UPSTREAM_TIMEOUT: PARTIAL,
  UPSTREAM_ERROR: [
    ...PARTIAL,
    // structured template replies that stayed invalid after the repair attempt
    'rawReply',
    'firstReply',
    'problems',
    // embedded engine downloads (admin pulls)
    'status',
    'expectedBytes',
    'receivedBytes',
    'expected',
    'actual',
  ],
  STREAM_INTERRUPTED: [...PARTIAL, 'lastEventId'],
  CANCELLED: PARTIAL,
};

/** The caller-visible part of `error.details` (see PUBLIC_DETAILS), or undefined when empty. */
export function publicDetails(error: GatewayError): Record<string, unknown> | undefined {
  const allowed = PUBLIC_DETAILS[error.code];
  if (!allowed || !error.details) return undefined;
  const out: Record<string, unknown> = {};
  for (const key of allowed) {
    if (error.details[key] !== undefined) out[key] = error.details[key];
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

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

  /** A client-safe plain object: no stack, no cause, only public details. */
  toJSON(): {
    code: GatewayErrorCode;
    message: string;
    retryAfterSeconds?: number;
    fieldErrors?: FieldError[];
    details?: Record<string, unknown>;
  } {
    const details = publicDetails(this);
    return {
      code: this.code,
      message: this.message,
      ...(this.retryAfterSeconds === undefined
        ? {}
        : { retryAfterSeconds: this.retryAfterSeconds }),
      ...(this.fieldErrors === undefined ? {} : { fieldErrors: this.fieldErrors }),
      ...(details === undefined ? {} : { details }),
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
