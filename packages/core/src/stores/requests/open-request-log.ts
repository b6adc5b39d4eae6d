import { databaseTarget, migrated } from '../database-url.js';
import { MemoryRequestLog } from './memory-request-log.js';
import type {
  RequestLogBackend,
  RequestLogEntry,
  RequestLogPage,
  RequestLogQuery,
} from './request-log.js';
import type { RequestLogTable, StoredRequestLog } from './stored-request-log.js';

export interface RequestLogOptions {
  /** Entries kept in memory by this replica (default 1000). */
  capacity?: number;
  /** Keep entries in the store this long (ms); absent → memory only. */
  retentionMs?: number;
  /** `postgres://…` or a SQLite file path (default `./data/gateway.db`). */
  databaseUrl?: string;
  schema?: string;
  onError?: (error: unknown) => void;
}

/**
 * The request log: this replica's last requests in a ring, and with a retention the store's
 * (every replica's) for listing. `add` never waits for anything.
 */
export class RequestLog implements RequestLogBackend {
  constructor(
    readonly memory: MemoryRequestLog,
    readonly stored?: StoredRequestLog,
  ) {}

  add(entry: RequestLogEntry): void {
    this.memory.add(entry);
    this.stored?.add(entry);
  }

  list(query: RequestLogQuery): Promise<RequestLogPage> {
    return (this.stored ?? this.memory).list(query);
  }

  async get(id: string): Promise<RequestLogEntry | undefined> {
    return (await this.memory.get(id)) ?? (await this.stored?.get(id));
  }

  async close(): Promise<void> {
    await this.stored?.close();
  }
}

export async function openRequestLog(options: RequestLogOptions = {}): Promise<RequestLog> {
  const memory = new MemoryRequestLog(options.capacity ?? 1000);
  if (options.retentionMs === undefined) return new RequestLog(memory);
  const target = databaseTarget(options.databaseUrl);
  // Each driver is loaded only when its store is used.
  const table: RequestLogTable = await migrated(
    target.kind === 'postgres'
      ? new (await import('./postgres-request-log.js')).PostgresRequestLogTable(
          target.connectionString,
          options.schema,
        )
      : new (await import('./sqlite-request-log.js')).SqliteRequestLogTable(target.filename),
  );
  const { StoredRequestLog } = await import('./stored-request-log.js');
  return new RequestLog(
    memory,
    new StoredRequestLog(table, {
      retentionMs: options.retentionMs,
      ...(options.onError ? { onError: options.onError } : {}),
    }),
  );
}
