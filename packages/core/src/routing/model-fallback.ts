/**
 * Model fallbacks (MODEL_FALLBACKS): when every upstream of a model is down, overloaded or
 * times out before the first byte, the next model of its list answers. Each model gets the
 * whole routed call (its own fail-over between upstreams) first. Never after output began: a
 * stream that produced something is the caller's answer, whatever happens next.
 */
import { type GatewayErrorCode, toGatewayError } from '../errors.js';
import type { Provider } from '../providers/provider.js';
import { type RouteOptions, routedCall, routedStream } from './routed-call.js';
import type { UpstreamPool } from './upstream-pool.js';

/** Failures of a model's upstreams (not of the request) that another model may avoid. */
const FALL_BACK_ON: ReadonlySet<GatewayErrorCode> = new Set([
  'UPSTREAM_UNAVAILABLE',
  'OVERLOADED',
  'UPSTREAM_TIMEOUT',
]);

export interface FallbackOptions extends RouteOptions {
  /** Told which model each attempt is for (the last one told served the answer). */
  onModel?: (model: string) => void;
}

const fallsBack = (error: unknown, options: FallbackOptions, last: boolean) =>
  !last && !options.signal?.aborted && FALL_BACK_ON.has(toGatewayError(error).code);

export async function* fallbackStream<E>(
  pool: UpstreamPool,
  models: readonly string[],
  open: (provider: Provider, model: string) => AsyncIterable<E>,
  options: FallbackOptions = {},
): AsyncGenerator<E> {
  for (const [i, model] of models.entries()) {
    options.onModel?.(model);
    let produced = false;
    try {
      for await (const event of routedStream(pool, model, (p) => open(p, model), options)) {
        produced = true;
        yield event;
      }
      return;
    } catch (error) {
      if (produced || !fallsBack(error, options, i === models.length - 1)) throw error;
    }
  }
}

export async function fallbackCall<T>(
  pool: UpstreamPool,
  models: readonly string[],
  run: (provider: Provider, model: string) => Promise<T>,
  options: FallbackOptions = {},
): Promise<T> {
  for (const [i, model] of models.entries()) {
    options.onModel?.(model);
    try {
      return await routedCall(pool, model, (p) => run(p, model), options);
    } catch (error) {
      if (!fallsBack(error, options, i === models.length - 1)) throw error;
    }
  }
  throw new Error('fallbackCall needs at least one model');
}
