/**
 * The answer when no upstream can take a request for a model. `MODEL_NOT_FOUND` only when every
 * upstream has told us what it has and none has the model; an upstream that is down keeps the
 * models it last reported (their requests are tried anyway: panic routing), and one that never
 * answered may have it: both are `UPSTREAM_UNAVAILABLE`, with when to retry.
 */
import { GatewayError } from '../errors.js';
import { holdersOf } from './pick-upstream.js';
import type { UpstreamEntry } from './upstream-entry.js';

/** Seconds until the first of these upstreams is checked again (at least 1). */
export function retryAfterSeconds(entries: readonly UpstreamEntry[], now = Date.now()): number {
  const due = entries.filter((e) => !e.healthy).map((e) => e.nextCheckAt - now);
  const soonest = due.length > 0 ? Math.min(...due) : 0;
  return Math.max(1, Math.ceil(soonest / 1000));
}

export function noRouteError(entries: readonly UpstreamEntry[], model: string): GatewayError {
  const holders = holdersOf(entries, model, new Set());
  if (holders.length > 0) {
    return new GatewayError(
      'UPSTREAM_UNAVAILABLE',
      `No upstream that has model '${model}' is available right now (down or cooling off)`,
      { retryAfterSeconds: retryAfterSeconds(holders), details: { model } },
    );
  }
  const unknown = entries.filter((e) => !e.catalogueKnown);
  if (unknown.length > 0) {
    return new GatewayError(
      'UPSTREAM_UNAVAILABLE',
      `Model '${model}' is not on any reachable upstream, and ${unknown.length === 1 ? 'one upstream has' : `${unknown.length} upstreams have`} not answered yet`,
      { retryAfterSeconds: retryAfterSeconds(unknown), details: { model } },
    );
  }
  if (entries.length === 0) {
    return new GatewayError(
      'UPSTREAM_UNAVAILABLE',
      'No upstream is configured: set OLLAMA_URL or MODELS_DIR',
    );
  }
  return new GatewayError('MODEL_NOT_FOUND', `Model '${model}' not found on any upstream`, {
    details: { model },
  });
}
