/**
 * Runs one request on the pool with fail-over: another upstream is tried only while nothing has
 * reached the caller. A stream that already produced output is never replayed; its failure is
 * the caller's answer.
 */
import { type GatewayError, type GatewayErrorCode, toGatewayError } from '../errors.js';
import type { Provider } from '../providers/provider.js';
import type { UpstreamPool } from './upstream-pool.js';

/** Failures that say "this upstream, not this request": worth another upstream. */
const FAIL_OVER: ReadonlySet<GatewayErrorCode> = new Set([
  'UPSTREAM_UNAVAILABLE',
  'UPSTREAM_TIMEOUT',
  'UPSTREAM_ERROR',
  'OVERLOADED',
  'MODEL_NOT_FOUND',
]);

export interface RouteOptions {
  signal?: AbortSignal | undefined;
  /** Told which upstream serves each attempt. */
  onUpstream?: (upstream: string) => void;
}

export async function routedCall<T>(
  pool: UpstreamPool,
  model: string,
  run: (provider: Provider) => Promise<T>,
  options: RouteOptions = {},
): Promise<T> {
  const tried = new Set<string>();
  let lastError: GatewayError | undefined;
  for (;;) {
    const lease = await acquireNext(pool, model, tried, options.signal, lastError);
    tried.add(lease.provider.id);
    options.onUpstream?.(lease.provider.id);
    try {
      const value = await run(lease.provider);
      lease.succeeded();
      return value;
    } catch (error) {
      const failure = toGatewayError(error);
      lease.failed(failure);
      if (!FAIL_OVER.has(failure.code) || options.signal?.aborted) throw failure;
      lastError = failure;
    } finally {
      lease.release();
    }
  }
}

export async function* routedStream<E>(
  pool: UpstreamPool,
  model: string,
  open: (provider: Provider) => AsyncIterable<E>,
  options: RouteOptions = {},
): AsyncGenerator<E> {
  const tried = new Set<string>();
  let lastError: GatewayError | undefined;
  for (;;) {
    const lease = await acquireNext(pool, model, tried, options.signal, lastError);
    tried.add(lease.provider.id);
    options.onUpstream?.(lease.provider.id);
    let produced = false;
    try {
      for await (const event of open(lease.provider)) {
        if (!produced) {
          produced = true;
          lease.succeeded();
        }
        yield event;
      }
      lease.succeeded();
      return;
    } catch (error) {
      const failure = toGatewayError(error);
      lease.failed(failure);
      if (produced || !FAIL_OVER.has(failure.code) || options.signal?.aborted) throw failure;
      lastError = failure;
    } finally {
      lease.release();
    }
  }
}

/** The next upstream to try; once every candidate failed, the last failure is the answer. */
async function acquireNext(
  pool: UpstreamPool,
  model: string,
  tried: ReadonlySet<string>,
  signal: AbortSignal | undefined,
  lastError: GatewayError | undefined,
) {
  try {
    return await pool.acquire(model, { exclude: tried, signal });
  } catch (error) {
    const failure = toGatewayError(error);
    if (
      lastError &&
      (failure.code === 'MODEL_NOT_FOUND' || failure.code === 'UPSTREAM_UNAVAILABLE')
    ) {
      throw lastError;
    }
    throw failure;
  }
}
