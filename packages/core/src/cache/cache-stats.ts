/** What a cache reports; `onEvent` feeds Prometheus counters, `stats()` is the snapshot. */
export type CacheEvent = 'hit' | 'miss' | 'write' | 'eviction' | 'error';

export interface CacheStats {
  hits: number;
  misses: number;
  writes: number;
  evictions: number;
  /** Backend failures (each one answered as a miss or a skipped write). */
  errors: number;
}

export class CacheCounters {
  readonly counts: CacheStats = { hits: 0, misses: 0, writes: 0, evictions: 0, errors: 0 };

  constructor(private readonly onEvent?: (event: CacheEvent) => void) {}

  count(event: CacheEvent, n = 1): void {
    const field = (
      {
        hit: 'hits',
        miss: 'misses',
        write: 'writes',
        eviction: 'evictions',
        error: 'errors',
      } as const
    )[event];
    this.counts[field] += n;
    for (let i = 0; i < n; i++) this.onEvent?.(event);
  }

  snapshot(): CacheStats {
    return { ...this.counts };
  }
}
