/**
 * Every stored key, in memory: a request is authenticated by a Map lookup of its secret's hash,
 * never a store query. The copy is reloaded when any replica changes a key (a Valkey pub/sub
 * notice, within milliseconds) and, as a safety net (a missed notice, or no Valkey with several
 * replicas on one database), whenever the store's revision moved, checked every `refreshMs`. `lastUsedAt` is written in batches.
 */
import type { Redis } from 'ioredis';
import type { BackendLog } from '../limits/lease.js';
import type { Caller } from '../service/context.js';
import type { KeyStore } from '../stores/keys/key-store.js';
import { isActive, type KeyRecord } from './key-model.js';

export interface KeyDirectoryOptions {
  store: KeyStore;
  /** Change notices between replicas (a second connection subscribes); none → refresh only. */
  redis?: Redis | undefined;
  /** Prefix of the notice channel (VALKEY_PREFIX). */
  keyPrefix?: string | undefined;
  /** Reload period, ms (default 5000). */
  refreshMs?: number;
  /** How often `lastUsedAt` is written, ms (default 10 000). */
  touchFlushMs?: number;
  log?: BackendLog | undefined;
}

/** What a secret's hash finds: a caller, a key past its expiry, or nothing. */
export type KeyLookup = { caller: Caller } | { expired: true } | undefined;

interface Entry {
  record: KeyRecord;
  caller: Caller;
}

export class KeyDirectory {
  private byHash = new Map<string, Entry>();
  private names = new Map<string, string>();
  private readonly touched = new Map<string, number>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly channel: string;
  private subscriber: Redis | undefined;
  private reloading: Promise<void> | undefined;
  /** The store's revision the copy was read at (see KeyStore.revision). */
  private revision: string | undefined;
  private reloadAgain = false;
  private closed = false;

  private constructor(private readonly options: KeyDirectoryOptions) {
    this.channel = `${options.keyPrefix ?? 'llmgw:'}keys:changed`;
  }

  /** Loads the keys, subscribes to change notices and starts the refresh and touch timers. */
  static async open(options: KeyDirectoryOptions): Promise<KeyDirectory> {
    const directory = new KeyDirectory(options);
    await directory.reload();
    directory.start();
    return directory;
  }

  /** Active (not revoked) keys held; expired ones count until they are looked up. */
  get size(): number {
    return this.byHash.size;
  }

  /** The caller of a secret's hex SHA-256; records the use for `lastUsedAt`. */
  lookup(hash: string, now = Date.now()): KeyLookup {
    const entry = this.byHash.get(hash);
    if (!entry) return undefined;
    if (!isActive(entry.record, now)) return { expired: true };
    this.touched.set(entry.record.id, now);
    return { caller: entry.caller };
  }

  /** The display name of a key id (revoked keys too), for usage reports. */
  nameOf(keyId: string): string | undefined {
    return this.names.get(keyId);
  }

  /** After a change made here: reload now and tell the other replicas. */
  async changed(id: string): Promise<void> {
    await this.reload();
    await this.options.redis?.publish(this.channel, id).catch((error: unknown) => {
      this.options.log?.('warn', 'key change notice not sent; other replicas refresh later', {
        error: String(error),
      });
    });
  }

  /** Re-reads every key; concurrent calls coalesce, and a call during a read reads again. */
  reload(): Promise<void> {
    if (this.reloading) {
      this.reloadAgain = true;
      return this.reloading;
    }
    this.reloading = (async () => {
      try {
        do {
          this.reloadAgain = false;
          // Read before the list: a change in between is seen by the next check.
          const revision = await this.options.store.revision();
          this.replace(await this.options.store.list());
          this.revision = revision;
        } while (this.reloadAgain && !this.closed);
      } finally {
        this.reloading = undefined;
      }
    })();
    return this.reloading;
  }

  /** The safety-net refresh: reads the keys again only when the store's revision moved. */
  async refresh(): Promise<void> {
    if ((await this.options.store.revision()) !== this.revision) await this.reload();
  }

  /** Writes the pending `lastUsedAt` values. */
  async flushTouches(): Promise<void> {
    if (this.touched.size === 0) return;
    const batch = new Map([...this.touched].map(([id, at]) => [id, new Date(at)]));
    this.touched.clear();
    await this.options.store.touch(batch).catch((error: unknown) => {
      this.options.log?.('warn', 'lastUsedAt not written', { error: String(error) });
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearInterval(timer);
    this.subscriber?.disconnect();
    await this.flushTouches();
  }

  private replace(records: KeyRecord[]): void {
    const byHash = new Map<string, Entry>();
    const names = new Map<string, string>();
    for (const record of records) {
      names.set(record.id, record.name);
      if (record.revokedAt === null) byHash.set(record.hash, { record, caller: callerOf(record) });
    }
    this.byHash = byHash;
    this.names = names;
  }

  private start(): void {
    const every = (ms: number, run: () => Promise<void>) => {
      const timer = setInterval(() => void run().catch(() => {}), ms);
      timer.unref();
      this.timers.push(timer);
    };
    every(this.options.refreshMs ?? 5000, () => this.refresh());
    every(this.options.touchFlushMs ?? 10_000, () => this.flushTouches());
    const redis = this.options.redis;
    if (!redis) return;
    // A subscribed connection can do nothing else: a second one. On every (re)connect it
    // subscribes and reloads, so notices sent while it was away are not lost.
    const subscriber = redis.duplicate();
    this.subscriber = subscriber;
    subscriber.on('error', () => {});
    subscriber.on('ready', () => {
      subscriber
        .subscribe(this.channel)
        .then(() => this.reload())
        .catch(() => {});
    });
    subscriber.on('message', (channel: string) => {
      if (channel === this.channel && !this.closed) void this.reload().catch(() => {});
    });
  }
}

/** The caller a stored key authenticates as: its limits, model list and budget travel along. */
export function callerOf(record: KeyRecord): Caller {
  const caller: Caller = { keyId: record.id, name: record.name, admin: record.admin };
  if (record.models !== null) caller.models = record.models;
  // Stored: null = the gateway's default, 0 = unlimited (a limit of null for the limiter).
  const limits: NonNullable<Caller['limits']> = {};
  if (record.rpm !== null) limits.requestsPerMinute = record.rpm === 0 ? null : record.rpm;
  if (record.tpm !== null) limits.tokensPerMinute = record.tpm === 0 ? null : record.tpm;
  if (record.rpm !== null || record.tpm !== null) caller.limits = limits;
  if (record.budget !== null) caller.budget = record.budget;
  return caller;
}
