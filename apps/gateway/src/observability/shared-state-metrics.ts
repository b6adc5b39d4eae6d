import type { CacheEvent, LimiterBackendState } from '@intellicore/llm-core';
import { Counter, Gauge, type Registry } from './prometheus.js';

/** Which backend the rate limiter decides on right now. */
export type LimiterBackend = 'none' | 'memory' | 'valkey' | 'fallback';

/**
 * What the shared state (limiter, cache) reports; filled by event hooks, read at scrape time.
 * One per gateway (its services own it), so several gateways in one process never mix counts.
 */
export class SharedStateStats {
  limiterBackend: LimiterBackend = 'none';
  /** Times the limiter fell back from Valkey to per-replica memory. */
  limiterFallbacks = 0;
  readonly cacheEvents: Record<CacheEvent, number> = {
    hit: 0,
    miss: 0,
    write: 0,
    eviction: 0,
    error: 0,
  };

  onLimiterBackendChange = (state: LimiterBackendState): void => {
    this.limiterBackend = state === 'primary' ? 'valkey' : 'fallback';
    if (state === 'fallback') this.limiterFallbacks++;
  };

  onCacheEvent = (event: CacheEvent): void => {
    this.cacheEvents[event]++;
  };
}

const BACKENDS: readonly LimiterBackend[] = ['none', 'memory', 'valkey', 'fallback'];

/** Registers the rate-limit backend gauge and the cache counters, read from `stats` on scrape. */
export function registerSharedStateMetrics(registry: Registry, stats: SharedStateStats): void {
  new Gauge({
    name: 'gateway_rate_limit_backend',
    help: 'Rate-limit backend in use (1 for the current one): valkey, fallback (per-replica memory while Valkey is away), memory or none',
    labelNames: ['backend'] as const,
    registers: [registry],
    collect() {
      for (const b of BACKENDS) this.labels(b).set(stats.limiterBackend === b ? 1 : 0);
    },
  });
  new Counter({
    name: 'gateway_rate_limit_fallbacks_total',
    help: 'Times rate limiting fell back from Valkey to per-replica memory',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(stats.limiterFallbacks);
    },
  });
  new Counter({
    name: 'gateway_cache_events_total',
    help: 'Response cache events: hit, miss, write, eviction, error (backend failure)',
    labelNames: ['event'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [event, n] of Object.entries(stats.cacheEvents)) this.labels(event).inc(n);
    },
  });
}
