import type { UsageRecord, UsageSink } from '../../service/hooks.js';
import type { UsageStore } from './usage-store.js';

export interface BatchedUsageSinkOptions {
  store: UsageStore;
  /** A batch is written as soon as this many records wait. */
  maxBatchSize?: number;
  /** …or after this long, whichever comes first. */
  flushIntervalMs?: number;
  /**
   * Records kept while the store is failing; beyond it the oldest are dropped (and counted),
   * so a dead database costs bounded memory instead of growing without end.
   */
  maxQueued?: number;
  /** Close the store when the sink closes (after the final flush). Default true. */
  closeStore?: boolean;
  onWriteError?: (error: unknown, records: number) => void;
}

export interface UsageSinkStats {
  queued: number;
  written: number;
  dropped: number;
  failedWrites: number;
}

/**
 * `record` only pushes to an array: the request never waits on the database. Batches go out
 * by size or by timer, one write at a time; a failed batch goes back to the head of the queue
 * for the next attempt. `close` stops the timer and flushes what is left.
 */
export class BatchedUsageSink implements UsageSink {
  private queue: UsageRecord[] = [];
  private writing: Promise<void> | undefined;
  private readonly timer: NodeJS.Timeout;
  private closed = false;
  private readonly counts = { written: 0, dropped: 0, failedWrites: 0 };
  private readonly maxBatchSize: number;
  private readonly maxQueued: number;

  constructor(private readonly options: BatchedUsageSinkOptions) {
    this.maxBatchSize = options.maxBatchSize ?? 200;
    this.maxQueued = options.maxQueued ?? 50_000;
    this.timer = setInterval(() => void this.drain(), options.flushIntervalMs ?? 1000);
    this.timer.unref();
  }

  record(record: UsageRecord): void {
    if (this.closed) return;
    this.queue.push(record);
    this.trim();
    if (this.queue.length >= this.maxBatchSize) void this.drain();
  }

  /** Writes everything queued now; resolves when it is in the store (or the write failed). */
  async flush(): Promise<void> {
    await this.drain();
    // A drain that was already running may have left records queued behind it.
    if (this.queue.length > 0) await this.drain();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    await this.flush();
    if (this.options.closeStore ?? true) await this.options.store.close();
  }

  stats(): UsageSinkStats {
    return { queued: this.queue.length, ...this.counts };
  }

  /** One writer at a time: concurrent callers wait for the running drain. */
  private drain(): Promise<void> {
    this.writing ??= this.writeAll().finally(() => {
      this.writing = undefined;
    });
    return this.writing;
  }

  private async writeAll(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatchSize);
      try {
        await this.options.store.insert(batch);
        this.counts.written += batch.length;
      } catch (error) {
        this.counts.failedWrites++;
        this.queue.unshift(...batch);
        this.trim();
        this.options.onWriteError?.(error, batch.length);
        return;
      }
    }
  }

  private trim(): void {
    const excess = this.queue.length - this.maxQueued;
    if (excess > 0) {
      this.queue.splice(0, excess);
      this.counts.dropped += excess;
    }
  }
}
