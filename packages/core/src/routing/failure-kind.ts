/**
 * Whose failure an attempt's error is, the one rule behind fail-over and ejection (as Envoy's
 * outlier detection: a host is judged by its own failures, never by the errors a request causes):
 * - `upstream`: the upstream itself failed: unreachable (refused, reset), silent past the
 *   timeout, or busy (503 queue-full). Counts toward its ejection; another upstream may serve.
 * - `stale`: the upstream no longer has the model (its catalogue changed since the last check).
 *   Not its fault; another upstream that has the model may serve.
 * - `request`: the request got its answer: a 4xx, a 5xx with an error body (Ollama failing on
 *   this input), a cut stream, a cancel. It goes back to the caller as it is: another upstream
 *   would fail alike, and the upstream is not to blame.
 */
import type { GatewayError } from '../errors.js';

export type FailureKind = 'upstream' | 'stale' | 'request';

export function failureKind(error: GatewayError): FailureKind {
  switch (error.code) {
    case 'UPSTREAM_UNAVAILABLE':
    case 'UPSTREAM_TIMEOUT':
    case 'OVERLOADED':
      return 'upstream';
    case 'MODEL_NOT_FOUND':
      return 'stale';
    default:
      return 'request';
  }
}

/** Unreachable: the upstream is out at once (no point sending it more until a check passes). */
export function isUnreachable(error: GatewayError): boolean {
  return error.code === 'UPSTREAM_UNAVAILABLE';
}
