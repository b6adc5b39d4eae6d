import type { JournalEntry, RequestJournal } from './types.js';

type Waiter = { pred: (e: JournalEntry) => boolean; resolve: (e: JournalEntry) => void };

/**
 * The last `limit` requests in a ring buffer. Entries are live objects: the server updates them
 * as the exchange goes on (body, status, finished, client closed) and calls `touch` each time,
 * which is what wakes `waitFor`.
 */
export class Journal implements RequestJournal {
  private ring: JournalEntry[] = [];
  private next = 0;
  private nextId = 1;
  private waiters = new Set<Waiter>();

  constructor(
    private readonly limit = 10_000,
    readonly enabled = true,
  ) {}

  /** Creates an entry; records it unless `record` is false or the journal is disabled. */
  open(
    method: string,
    path: string,
    headers: JournalEntry['headers'],
    record = true,
  ): JournalEntry {
    const entry: JournalEntry = {
      id: this.nextId++,
      method,
      path,
      body: undefined,
      headers,
      startedAt: Date.now(),
      clientClosed: false,
    };
    if (!this.enabled || !record) return entry;
    if (this.ring.length < this.limit) this.ring.push(entry);
    else this.ring[this.next] = entry;
    this.next = (this.next + 1) % this.limit;
    this.touch(entry);
    return entry;
  }

  /** Tells waiters that an entry changed. */
  touch(entry: JournalEntry): void {
    if (this.waiters.size === 0) return;
    for (const w of this.waiters) {
      if (w.pred(entry)) {
        this.waiters.delete(w);
        w.resolve(entry);
      }
    }
  }

  entries(): JournalEntry[] {
    if (this.ring.length < this.limit) return [...this.ring];
    return [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)];
  }

  clear(): void {
    this.ring = [];
    this.next = 0;
  }

  waitFor(pred: (e: JournalEntry) => boolean, timeoutMs = 5_000): Promise<JournalEntry> {
    const found = this.entries().find(pred);
    if (found) return Promise.resolve(found);
    if (!this.enabled) return Promise.reject(new Error('the fake Ollama journal is disabled'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`no journal entry matched within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter: Waiter = {
        pred,
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e);
        },
      };
      this.waiters.add(waiter);
    });
  }
}
