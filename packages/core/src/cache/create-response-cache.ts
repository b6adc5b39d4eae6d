import type { Redis } from 'ioredis';
import type { BackendLog } from '../limits/lease.js';
import type { CacheEvent } from './cache-stats.js';
import { MemoryResponseCache } from './memory-response-cache.js';
import { RedisResponseCache } from './redis-response-cache.js';

export interface CreateResponseCacheOptions {
  /** Shared cache on Valkey when given; otherwise an in-memory LRU of `maxBytes`. */
  redis?: Redis;
  keyPrefix?: string;
  /** Memory LRU bound (`CACHE_MAX_BYTES`); default 64 MiB. */
  maxBytes?: number;
  onEvent?: (event: CacheEvent) => void;
  log?: BackendLog;
}

export function createResponseCache(
  options: CreateResponseCacheOptions,
): MemoryResponseCache | RedisResponseCache {
  if (options.redis) {
    return new RedisResponseCache({ ...options, redis: options.redis });
  }
  return new MemoryResponseCache({
    maxBytes: options.maxBytes ?? 64 * 1024 * 1024,
    onEvent: options.onEvent,
  });
}
