/**
 * Request outcomes → ejection, by the upstream's own failures only (see failure-kind.ts):
 * - `failureThreshold` own failures in a row (unreachable, timeouts, 503 queue-full) eject it
 *   for a cool-down; an unreachable one is also checked at once, and a failed check takes it
 *   out before that;
 * - anything the request caused, or any answer at all, resets the count and ejects nothing.
 * Ejection is bounded: at most `maxEjectionPercent` of the upstreams (and at least one) are out
 * by request outcomes at once; a failing health check is not bounded (it is a verdict, not a
 * guess). A request that succeeds on an upstream that was down brings it back at once.
 */
import { toGatewayError } from '../errors.js';
import { failureKind, isUnreachable } from './failure-kind.js';
import type { UpstreamEntry } from './upstream-entry.js';

export interface OutlierOptions {
  /** Consecutive own failures (timeouts, 503) that eject an upstream. */
  failureThreshold: number;
  /** Most upstreams (percent, at least one) out by request outcomes at once. */
  maxEjectionPercent: number;
}

export interface OutlierActions {
  /** Takes the entry out of routing for a cool-down. */
  eject(entry: UpstreamEntry, error: unknown): void;
  /** Checks the entry now (its health, catalogue and loaded models). */
  check(entry: UpstreamEntry): void;
  /** The entry served a request while down: it is back. */
  recover(entry: UpstreamEntry): void;
}

export function createOutlierDetection(
  entries: readonly UpstreamEntry[],
  options: OutlierOptions,
  actions: OutlierActions,
) {
  const maxEjected = Math.max(1, Math.floor((entries.length * options.maxEjectionPercent) / 100));
  const mayEject = () => entries.filter((e) => e.ejected).length < maxEjected;

  return {
    succeeded(entry: UpstreamEntry): void {
      entry.requestFailures = 0;
      if (!entry.healthy) actions.recover(entry);
    },

    failed(entry: UpstreamEntry, error: unknown): void {
      const failure = toGatewayError(error);
      const kind = failureKind(failure);
      if (kind === 'stale') {
        actions.check(entry);
      } else if (kind === 'request') {
        // It answered: whatever the request caused, the upstream is up.
        if (failure.code !== 'CANCELLED') entry.requestFailures = 0;
      } else {
        entry.requestFailures++;
        entry.lastError = failure.message;
        if (!entry.healthy) return;
        if (entry.requestFailures >= options.failureThreshold && mayEject()) {
          actions.eject(entry, failure);
        } else if (isUnreachable(failure)) {
          actions.check(entry);
        }
      }
    },
  };
}
