import {
  pageSize,
  type RequestLogBackend,
  type RequestLogEntry,
  type RequestLogPage,
  type RequestLogQuery,
} from './request-log.js';

/** What a database does for the request log (SQLite, PostgreSQL). */
export interface RequestLogTable {
  migrate(): Promise<void>;
  insert(entries: readonly RequestLogEntry[]): Promise<void>;
  /** Newest first (arrival, then row order), after the cursor when there is one. */
  list(query: RequestLogQuery, limit: number): Promise<{ seq: number; entry: RequestLogEntry }[]>;
  get(id: string): Promise<RequestLogEntry | undefined>;
  /** Deletes entries that arrived before `before`. */
  prune(before: Date): Promise<void>;
  close(): Promise<void>;
}

export interface StoredRequestLogOptions {
  /** How long entries are kept, ms. */
  retentionMs: number;
  /** Written at least this often, ms (default 1000). */
  flushMs?: number;
  /** Or as soon as this many wait (default 200). */
  batchSize?: number;
  /** Told when a write fails (the entries are dropped: the log never slows requests down). */
  onError?: (error: unknown) => void;
}

/**
 * The request log in the store shared by replicas: entries are buffered and written in batches
 * off the request path, and anything older than the retention is pruned now and then.
 */
export class StoredRequestLog implements RequestLogBackend {
  private buffer: RequestLogEntry[] = [];
  private writing: Promise<void> = Promise.resolve();
  private readonly timer: ReturnType<typeof setInterval>;
  private lastPrune = 0;

  constructor(
    private readonly table: RequestLogTable,
    private readonly options: StoredRequestLogOptions,
  ) {
    this.timer = setInterval(() => void this.flush(), options.flushMs ?? 1000);
    this.timer.unref();
  }

  add(entry: RequestLogEntry): void {
    this.buffer.push(entry);
    if (this.buffer.length >= (this.options.batchSize ?? 200)) void this.flush();
  }

  /** Writes what is buffered (and prunes at most once a minute). */
  flush(): Promise<void> {
    const batch = this.buffer;
    if (batch.length === 0) return this.writing;
    this.buffer = [];
    this.writing = this.writing.then(async () => {
      try {
        await this.table.insert(batch);
        if (Date.now() - this.lastPrune > 60_000) {
          this.lastPrune = Date.now();
          await this.table.prune(new Date(Date.now() - this.options.retentionMs));
        }
      } catch (error) {
        this.options.onError?.(error);
      }
    });
    return this.writing;
  }

  async list(query: RequestLogQuery): Promise<RequestLogPage> {
    await this.flush();
    const limit = pageSize(query);
    const rows = await this.table.list(query, limit + 1);
    const items = rows.slice(0, limit);
    const page: RequestLogPage = { items: items.map((r) => r.entry) };
    const last = items.at(-1);
    if (rows.length > limit && last) page.nextCursor = `${Date.parse(last.entry.at)}.${last.seq}`;
    return page;
  }

  async get(id: string): Promise<RequestLogEntry | undefined> {
    await this.flush();
    return this.table.get(id);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
    await this.table.close();
  }
}

/** The columns filters use; the whole entry is kept as JSON beside them. */
export function filterColumns(entry: RequestLogEntry) {
  return {
    request_id: entry.id,
    door: entry.door,
    key_id: entry.keyId,
    key_name: entry.keyName ?? null,
    model: entry.model ?? null,
    served_model: entry.servedModel ?? null,
    code: entry.code ?? 'ok',
    entry: JSON.stringify(entry),
  };
}

/** WHERE clauses of a query; `param(value)` returns the driver's placeholder for a value. */
export function whereOf(
  query: RequestLogQuery,
  param: (value: unknown) => string,
  at: (d: Date) => unknown,
): string {
  const where: string[] = [];
  // One placeholder per use: SQLite's `?` are positional.
  if (query.model !== undefined) {
    where.push(`(model = ${param(query.model)} OR served_model = ${param(query.model)})`);
  }
  if (query.key !== undefined) {
    where.push(`(key_name = ${param(query.key)} OR key_id = ${param(query.key)})`);
  }
  if (query.code !== undefined) where.push(`code = ${param(query.code)}`);
  if (query.door !== undefined) where.push(`door = ${param(query.door)}`);
  if (query.since) where.push(`at >= ${param(at(query.since))}`);
  if (query.until) where.push(`at < ${param(at(query.until))}`);
  // Newest first by arrival (replicas write in batches, so row order is not arrival order);
  // the cursor is the last row's `<arrival ms>.<seq>`.
  const cursor = /^(\d+)\.(\d+)$/.exec(query.cursor ?? '');
  if (cursor) {
    const before = at(new Date(Number(cursor[1])));
    where.push(
      `(at < ${param(before)} OR (at = ${param(before)} AND seq < ${param(Number(cursor[2]))}))`,
    );
  }
  return where.length ? `WHERE ${where.join(' AND ')}` : '';
}
