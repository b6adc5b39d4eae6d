import type { CachedResponse, ResponseCache } from '../service/hooks.js';
import { CacheCounters, type CacheEvent, type CacheStats } from './cache-stats.js';

export interface MemoryResponseCacheOptions {
  /** Upper bound of the cache's size: serialised entries plus keys, in bytes. */
  maxBytes: number;
  /** Clock (epoch ms) for TTLs; injectable for tests. */
  now?: () => number;
  onEvent?: (event: CacheEvent) => void;
}

interface Entry {
  json: string;
  bytes: number;
  expiresAt: number;
}

/** Bookkeeping per entry (Map slot, object, numbers), counted so many tiny entries stay bounded. */
const ENTRY_OVERHEAD_BYTES = 96;

/**
 * LRU bounded by bytes, not entries: one long streamed answer weighs what it weighs. Entries
 * are kept serialised, which gives their exact size and hands every reader a fresh copy.
 * The Map's insertion order is the recency order (a hit re-inserts).
 */
export class MemoryResponseCache implements ResponseCache {
  private readonly entries = new Map<string, Entry>();
  private totalBytes = 0;
  private readonly counters: CacheCounters;
  private readonly now: () => number;

  constructor(private readonly options: MemoryResponseCacheOptions) {
    this.counters = new CacheCounters(options.onEvent);
    this.now = options.now ?? Date.now;
  }

  async get(key: string): Promise<CachedResponse | undefined> {
    const entry = this.entries.get(key);
    if (!entry || entry.expiresAt <= this.now()) {
      if (entry) this.remove(key, entry);
      this.counters.count('miss');
      return undefined;
    }
    this.entries.delete(key);
    this.entries.set(key, entry);
    this.counters.count('hit');
    return JSON.parse(entry.json) as CachedResponse;
  }

  async set(key: string, value: CachedResponse, ttlSeconds: number): Promise<void> {
    if (!(ttlSeconds > 0)) return;
    const json = JSON.stringify(value);
    const bytes = Buffer.byteLength(json) + Buffer.byteLength(key) + ENTRY_OVERHEAD_BYTES;
    const previous = this.entries.get(key);
    if (previous) this.remove(key, previous);
    if (bytes > this.options.maxBytes) return;
    this.entries.set(key, { json, bytes, expiresAt: this.now() + ttlSeconds * 1000 });
    this.totalBytes += bytes;
    this.counters.count('write');
    let evicted = 0;
    for (const [oldKey, old] of this.entries) {
      if (this.totalBytes <= this.options.maxBytes) break;
      this.remove(oldKey, old);
      evicted++;
    }
    if (evicted) this.counters.count('eviction', evicted);
  }

  stats(): CacheStats & { entries: number; bytes: number } {
    return { ...this.counters.snapshot(), entries: this.entries.size, bytes: this.totalBytes };
  }

  async close(): Promise<void> {
    this.entries.clear();
    this.totalBytes = 0;
  }

  private remove(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.totalBytes -= entry.bytes;
  }
}
