import {
  matches,
  pageSize,
  type RequestLogBackend,
  type RequestLogEntry,
  type RequestLogPage,
  type RequestLogQuery,
} from './request-log.js';

/**
 * The last `capacity` requests of this replica, in a fixed array used as a ring: adding is O(1)
 * and allocates nothing but the entry; the oldest entry is overwritten. Cursors are sequence
 * numbers, so a page never repeats or skips an entry while new ones arrive.
 */
export class MemoryRequestLog implements RequestLogBackend {
  private readonly slots: (RequestLogEntry | undefined)[];
  /** Sequence number of the next entry (= entries ever added). */
  private next = 0;

  constructor(readonly capacity = 1000) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error('capacity must be ≥ 1');
    this.slots = new Array(capacity);
  }

  get size(): number {
    return Math.min(this.next, this.capacity);
  }

  add(entry: RequestLogEntry): void {
    this.slots[this.next % this.capacity] = entry;
    this.next++;
  }

  async list(query: RequestLogQuery): Promise<RequestLogPage> {
    const limit = pageSize(query);
    const oldest = Math.max(0, this.next - this.capacity);
    const cursor = query.cursor === undefined ? this.next : Number.parseInt(query.cursor, 10);
    const from = Number.isFinite(cursor) ? Math.min(cursor, this.next) : this.next;
    const items: RequestLogEntry[] = [];
    let seq = from - 1;
    for (; seq >= oldest && items.length < limit; seq--) {
      const entry = this.slots[seq % this.capacity];
      if (entry && matches(entry, query)) items.push(entry);
    }
    const page: RequestLogPage = { items };
    if (items.length === limit && seq >= oldest) page.nextCursor = String(seq + 1);
    return page;
  }

  async get(id: string): Promise<RequestLogEntry | undefined> {
    for (let seq = this.next - 1; seq >= Math.max(0, this.next - this.capacity); seq--) {
      const entry = this.slots[seq % this.capacity];
      if (entry?.id === id) return entry;
    }
    return undefined;
  }

  async close(): Promise<void> {}
}
