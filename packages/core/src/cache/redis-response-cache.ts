import type { Redis } from 'ioredis';
import type { BackendLog } from '../limits/lease.js';
import type { CachedResponse, ResponseCache } from '../service/hooks.js';
import { CacheCounters, type CacheEvent, type CacheStats } from './cache-stats.js';

export interface RedisResponseCacheOptions {
  /** A connected client (see `connectRedis`); not closed by this cache. */
  redis: Redis;
  keyPrefix?: string;
  /** Larger answers are not stored (a huge stream should not crowd out the shared cache). */
  maxEntryBytes?: number;
  onEvent?: (event: CacheEvent) => void;
  log?: BackendLog;
}

/**
 * The cache shared by every replica. A Valkey failure never fails a request: a read answers
 * "miss", a write is skipped, both are counted as errors and warned about once per outage.
 */
export class RedisResponseCache implements ResponseCache {
  private readonly counters: CacheCounters;
  private readonly prefix: string;
  private failing = false;

  constructor(private readonly options: RedisResponseCacheOptions) {
    this.counters = new CacheCounters(options.onEvent);
    this.prefix = `${options.keyPrefix ?? 'llmgw:'}cache:`;
  }

  async get(key: string): Promise<CachedResponse | undefined> {
    try {
      const json = await this.options.redis.get(this.prefix + key);
      this.recovered();
      this.counters.count(json === null ? 'miss' : 'hit');
      return json === null ? undefined : (JSON.parse(json) as CachedResponse);
    } catch (error) {
      this.failed(error);
      this.counters.count('miss');
      return undefined;
    }
  }

  async set(key: string, value: CachedResponse, ttlSeconds: number): Promise<void> {
    if (!(ttlSeconds > 0)) return;
    const json = JSON.stringify(value);
    if (Buffer.byteLength(json) > (this.options.maxEntryBytes ?? 4 * 1024 * 1024)) return;
    try {
      await this.options.redis.set(this.prefix + key, json, 'PX', Math.round(ttlSeconds * 1000));
      this.recovered();
      this.counters.count('write');
    } catch (error) {
      this.failed(error);
    }
  }

  stats(): CacheStats {
    return this.counters.snapshot();
  }

  /** The client belongs to whoever created it. */
  async close(): Promise<void> {}

  private failed(error: unknown): void {
    this.counters.count('error');
    if (this.failing) return;
    this.failing = true;
    this.options.log?.('warn', 'response cache bypassed: Valkey unreachable', {
      error: error instanceof Error ? error.message : String(error),
    });
  }

  private recovered(): void {
    if (!this.failing) return;
    this.failing = false;
    this.options.log?.('info', 'response cache back on Valkey');
  }
}
