import { GatewayError } from '../errors.js';

/** The same error, saying when a retry may help (GatewayError is immutable). */
export function withRetryAfter(error: GatewayError, seconds: number): GatewayError {
  return new GatewayError(error.code, error.message, {
    retryAfterSeconds: seconds,
    ...(error.fieldErrors === undefined ? {} : { fieldErrors: error.fieldErrors }),
    ...(error.upstream === undefined ? {} : { upstream: error.upstream }),
    ...(error.details === undefined ? {} : { details: error.details }),
    cause: error.cause,
  });
}
