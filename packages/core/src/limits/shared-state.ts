import type { Redis } from 'ioredis';
import type { CacheEvent } from '../cache/cache-stats.js';
import { createResponseCache } from '../cache/create-response-cache.js';
import type { RateLimiter, ResponseCache } from '../service/hooks.js';
import { BatchedUsageSink } from '../stores/usage/batched-usage-sink.js';
import { openUsageStore } from '../stores/usage/open-usage-store.js';
import type { UsageStore } from '../stores/usage/usage-store.js';
import { createRateLimiter } from './create-rate-limiter.js';
import type { LimiterBackendState } from './fallback-rate-limiter.js';
import type { BackendLog } from './lease.js';
import { type RateLimitSettings, rateLimitPolicy } from './policy.js';
import { closeRedis, connectRedis } from './redis-client.js';

export interface SharedStateOptions {
  /** `VALKEY_URL`; null/undefined → everything per process, in memory. */
  valkeyUrl?: string | null;
  /** `DATABASE_URL` (postgres://… or a SQLite path) for usage records. */
  databaseUrl?: string;
  /** `RATE_LIMIT_RPM`, `RATE_LIMIT_TPM`, `RATE_LIMIT_OVERRIDES` (0 = unlimited). */
  rateLimit: RateLimitSettings;
  /** Stored keys may carry their own limits: a limiter even when the defaults limit nothing
   * (keys without limits of their own cost no limiter call then). */
  perKeyLimits?: boolean;
  /** `CACHE_TTL_SECONDS` (0 = no cache) and `CACHE_MAX_BYTES` (memory LRU bound). */
  cache: { ttlSeconds: number; maxBytes: number };
  /** Prefix of every Valkey key (default `llmgw:`). */
  keyPrefix?: string;
  /** PostgreSQL schema of the usage tables (default: the connection's search_path). */
  schema?: string;
  usageBatchSize?: number;
  usageFlushIntervalMs?: number;
  log?: BackendLog;
  onLimiterBackendChange?: (state: LimiterBackendState) => void;
  onCacheEvent?: (event: CacheEvent) => void;
}

/** What the gateway hands to `createGatewayService` (limiter, cache, usage) and keeps to close. */
export interface SharedState {
  /** Undefined when no limit is configured. */
  limiter: RateLimiter | undefined;
  /** The limiter exists for stored keys' own limits alone (no RATE_LIMIT_* limits anybody). */
  limiterForOwnLimitsOnly: boolean;
  /** Undefined when `CACHE_TTL_SECONDS` is 0. */
  cache: ResponseCache | undefined;
  cacheTtlSeconds: number;
  usage: BatchedUsageSink;
  /** For `usage.summary` and readiness. */
  usageStore: UsageStore;
  redis: Redis | undefined;
  /** Flushes usage, then closes the store and the Valkey connection. Idempotent. */
  close(): Promise<void>;
}

/**
 * Builds the state several replicas share: rate limits and cache on Valkey when configured
 * (memory otherwise, and the limiter falls back to memory while Valkey is away), usage records
 * in the store `DATABASE_URL` names, migrated at start-up. One connection serves both.
 */
export async function openSharedState(options: SharedStateOptions): Promise<SharedState> {
  const log = options.log;
  const redis = options.valkeyUrl ? await connectRedis(options.valkeyUrl, { log }) : undefined;
  let usageStore: UsageStore;
  try {
    usageStore = await openUsageStore(options.databaseUrl, { schema: options.schema });
  } catch (error) {
    if (redis) await closeRedis(redis);
    throw error;
  }
  const unlimited = { requestsPerMinute: null, tokensPerMinute: null };
  const configured = rateLimitPolicy(options.rateLimit);
  const policy = configured ?? (options.perKeyLimits ? { defaults: unlimited } : null);
  const limiter = policy
    ? createRateLimiter({
        policy,
        redis,
        keyPrefix: options.keyPrefix,
        log,
        onBackendChange: options.onLimiterBackendChange,
      })
    : undefined;
  const cache =
    options.cache.ttlSeconds > 0
      ? createResponseCache({
          redis,
          keyPrefix: options.keyPrefix,
          maxBytes: options.cache.maxBytes,
          onEvent: options.onCacheEvent,
          log,
        })
      : undefined;
  const usage = new BatchedUsageSink({
    store: usageStore,
    maxBatchSize: options.usageBatchSize,
    flushIntervalMs: options.usageFlushIntervalMs,
    closeStore: false,
    onWriteError: (error, records) =>
      log?.('warn', 'usage records not written yet; will retry', { records, error: String(error) }),
  });
  let closing: Promise<void> | undefined;
  return {
    limiter,
    limiterForOwnLimitsOnly: limiter !== undefined && configured === null,
    cache,
    cacheTtlSeconds: options.cache.ttlSeconds,
    usage,
    usageStore,
    redis,
    close() {
      closing ??= (async () => {
        await usage.close();
        await Promise.allSettled([limiter?.close(), cache?.close(), usageStore.close()]);
        if (redis) await closeRedis(redis);
      })();
      return closing;
    },
  };
}
