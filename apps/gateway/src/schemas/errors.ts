/**
 * The error data every tRPC error carries (`error.data`), as plain types so `AppRouter`'s
 * declaration needs nothing from core. trpc.ts checks at compile time that the code list
 * equals core's.
 */
export type GatewayErrorCodeName =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'REQUEST_TIMEOUT'
  | 'CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'MODEL_NOT_ALLOWED'
  | 'MODEL_NOT_FOUND'
  | 'TEMPLATE_NOT_FOUND'
  | 'TEMPLATE_INVALID'
  | 'MISSING_VARIABLES'
  | 'RATE_LIMITED'
  | 'BUDGET_EXCEEDED'
  | 'OVERLOADED'
  | 'UPSTREAM_UNAVAILABLE'
  | 'UPSTREAM_TIMEOUT'
  | 'UPSTREAM_ERROR'
  | 'STREAM_INTERRUPTED'
  | 'CANCELLED'
  | 'NOT_IMPLEMENTED'
  | 'INTERNAL';

/** One invalid input field: `path` is dotted (`messages.0.content`), `message` says why. */
export interface FieldErrorData {
  path: string;
  message: string;
}

/** Added to tRPC's `error.data` by the gateway's error formatter. */
export interface GatewayErrorData {
  gatewayCode: GatewayErrorCodeName;
  /** Per-field problems (BAD_REQUEST and template errors); null otherwise. */
  fieldErrors: FieldErrorData[] | null;
  /** Seconds to wait before retrying (RATE_LIMITED, OVERLOADED); null otherwise. */
  retryAfterSeconds: number | null;
  /** Documented facts of the code only (README: `details` per code), e.g. `partialText` of an
   * interrupted stream, `lastEventId`, `operation` of a FORBIDDEN; null when there are none. */
  details: Record<string, unknown> | null;
}
