/**
 * Runs one request on the pool with fail-over: at most two attempts, the second on another
 * upstream, and only after a failure that another upstream could avoid (the first one's own
 * failure, or a model it no longer has) and while nothing has reached the caller. A stream that
 * already produced output is never replayed; its failure is the caller's answer. An error the
 * request caused is answered at once. UPSTREAM_UNAVAILABLE always says when to retry.
 */
import { type GatewayError, toGatewayError } from '../errors.js';
import type { Provider } from '../providers/provider.js';
import type { PhaseEnd, RequestTrace } from '../tracing/request-trace.js';
import { failureKind } from './failure-kind.js';
import { withRetryAfter } from './retry-after.js';
import type { UpstreamLease, UpstreamPool } from './upstream-pool.js';

/** Attempts per request: the first upstream, and one other when the first failed by its fault. */
export const MAX_ATTEMPTS = 2;

export interface RouteOptions {
  signal?: AbortSignal | undefined;
  /** Told which upstream serves each attempt. */
  onUpstream?: (upstream: string) => void;
  /** Told the wait for a slot (`queue`) and each attempt (`upstream`). */
  trace?: RequestTrace | undefined;
}

export async function routedCall<T>(
  pool: UpstreamPool,
  model: string,
  run: (provider: Provider) => Promise<T>,
  options: RouteOptions = {},
): Promise<T> {
  const attempts = new Attempts(pool, model, options);
  for (;;) {
    const lease = await attempts.next();
    const end = options.trace?.phase('upstream', lease.provider.id);
    try {
      const value = await run(lease.provider);
      lease.succeeded();
      end?.();
      return value;
    } catch (error) {
      endFailed(end, error);
      attempts.failed(lease, error, false);
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
  const attempts = new Attempts(pool, model, options);
  for (;;) {
    const lease = await attempts.next();
    const end = options.trace?.phase('upstream', lease.provider.id);
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
      end?.();
      return;
    } catch (error) {
      endFailed(end, error);
      attempts.failed(lease, error, produced);
    } finally {
      // A consumer that stopped early (break) ends the attempt here; `end` ignores a second call.
      end?.({ error: 'CANCELLED' });
      lease.release();
    }
  }
}

/** The attempts of one request: which upstreams were tried, and what the answer is when done. */
class Attempts {
  private readonly tried = new Set<string>();
  private lastError: GatewayError | undefined;

  constructor(
    private readonly pool: UpstreamPool,
    private readonly model: string,
    private readonly options: RouteOptions,
  ) {}

  /** A slot on the next upstream; once no other can take it, the last failure is the answer. */
  async next(): Promise<UpstreamLease> {
    let lease: UpstreamLease;
    const queued = this.options.trace?.phase('queue');
    try {
      lease = await this.pool.acquire(this.model, {
        exclude: this.tried,
        signal: this.options.signal,
      });
      queued?.();
    } catch (error) {
      const failure = toGatewayError(error);
      queued?.({ error: failure.code });
      const noOther = failure.code === 'MODEL_NOT_FOUND' || failure.code === 'UPSTREAM_UNAVAILABLE';
      throw this.answer(this.lastError && noOther ? this.lastError : failure);
    }
    this.tried.add(lease.provider.id);
    this.options.onUpstream?.(lease.provider.id);
    return lease;
  }

  /** Records a failed attempt; throws unless another attempt may help. */
  failed(lease: UpstreamLease, error: unknown, produced: boolean): void {
    const failure = toGatewayError(error);
    lease.failed(failure);
    const another =
      !produced &&
      !this.options.signal?.aborted &&
      this.tried.size < MAX_ATTEMPTS &&
      failureKind(failure) !== 'request';
    if (!another) throw this.answer(failure);
    this.lastError = failure;
  }

  private answer(failure: GatewayError): GatewayError {
    if (failure.code !== 'UPSTREAM_UNAVAILABLE' || failure.retryAfterSeconds !== undefined) {
      return failure;
    }
    return withRetryAfter(failure, this.pool.retryAfterSeconds(this.model));
  }
}

function endFailed(end: PhaseEnd | undefined, error: unknown): void {
  end?.({ error: toGatewayError(error).code });
}
