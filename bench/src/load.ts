import { performance } from 'node:perf_hooks';

/**
 * One request of a scenario. Resolves when the whole answer has been read; for streams it
 * returns the `performance.now()` instant the first token arrived (undefined otherwise).
 */
export type Operation = () => Promise<number | undefined>;

export interface LoadOptions {
  concurrency: number;
  /** Stop after this many requests were issued… */
  requests: number;
  /** …or once this much time has passed, whichever comes first. */
  maxDurationMs: number;
  op: Operation;
  /** A request still open after this long counts as an error (a hung stream never hangs a run). */
  requestTimeoutMs?: number;
}

export interface LoadResult {
  completed: number;
  errors: number;
  firstError?: string;
  elapsedMs: number;
  /** Per completed request, ms from issue to last byte. */
  latencies: Float64Array;
  /** Per completed stream request, ms from issue to first token (empty for non-stream ops). */
  ttfts: Float64Array;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Closed-loop load: `concurrency` workers, each issues its next request as soon as the previous
 * one finished. Throughput is then what the system sustains at that many requests in flight, and
 * latency is not inflated by a queue inside the load generator (no coordinated omission).
 */
export async function runClosedLoop(options: LoadOptions): Promise<LoadResult> {
  const { concurrency, requests, maxDurationMs, op } = options;
  const timeoutMs = options.requestTimeoutMs ?? 30_000;
  const latencies = new Float64Array(requests);
  const ttfts = new Float64Array(requests);
  let issued = 0;
  let completed = 0;
  let ttftCount = 0;
  let errors = 0;
  let firstError: string | undefined;
  const start = performance.now();
  const deadline = start + maxDurationMs;

  const worker = async (): Promise<void> => {
    while (issued < requests && performance.now() < deadline) {
      issued++;
      const t0 = performance.now();
      try {
        const firstTokenAt = await withTimeout(op(), timeoutMs);
        const t1 = performance.now();
        latencies[completed++] = t1 - t0;
        if (firstTokenAt !== undefined) ttfts[ttftCount++] = firstTokenAt - t0;
      } catch (error) {
        errors++;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return {
    completed,
    errors,
    ...(firstError === undefined ? {} : { firstError }),
    elapsedMs: performance.now() - start,
    latencies: latencies.subarray(0, completed),
    ttfts: ttfts.subarray(0, ttftCount),
  };
}
