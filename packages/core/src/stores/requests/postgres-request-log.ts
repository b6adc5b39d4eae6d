import pg from 'pg';
import { migrateVersioned, tablePrefix } from '../postgres-migrate.js';
import type { RequestLogEntry, RequestLogQuery } from './request-log.js';
import { filterColumns, type RequestLogTable, whereOf } from './stored-request-log.js';

const COLUMNS = [
  'at',
  'request_id',
  'door',
  'key_id',
  'key_name',
  'model',
  'served_model',
  'code',
  'entry',
] as const;

// Version 1 keeps IF NOT EXISTS: databases created before the migrations table was kept.
const MIGRATIONS = (t: string): string[] => [
  `CREATE TABLE IF NOT EXISTS ${t}request_log (
     seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     at TIMESTAMPTZ NOT NULL,
     request_id TEXT NOT NULL,
     door TEXT NOT NULL,
     key_id TEXT,
     key_name TEXT,
     model TEXT,
     served_model TEXT,
     code TEXT NOT NULL,
     entry JSONB NOT NULL
   );
   CREATE INDEX IF NOT EXISTS request_log_at ON ${t}request_log (at);
   CREATE INDEX IF NOT EXISTS request_log_request_id ON ${t}request_log (request_id);`,
];

/** The request log table on PostgreSQL, shared by every replica. */
export class PostgresRequestLogTable implements RequestLogTable {
  private readonly pool: pg.Pool;
  /** `"schema".` prefix of the table name ('' without a schema). */
  private readonly t: string;
  private closed = false;

  constructor(
    connectionString: string,
    private readonly schema?: string,
  ) {
    this.pool = new pg.Pool({ connectionString, max: 2 });
    this.pool.on('error', () => {});
    this.t = tablePrefix(schema);
  }

  async migrate(): Promise<void> {
    await migrateVersioned(this.pool, {
      name: 'request_log',
      schema: this.schema,
      migrations: MIGRATIONS(this.t),
    });
  }

  async insert(entries: readonly RequestLogEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const values: unknown[] = [];
    const tuples = entries.map((e) => {
      const row = { at: new Date(e.at), ...filterColumns(e) };
      const start = values.length;
      for (const column of COLUMNS) values.push(row[column]);
      return `(${COLUMNS.map((_, j) => `$${start + j + 1}`).join(', ')})`;
    });
    await this.pool.query(
      `INSERT INTO ${this.t}request_log (${COLUMNS.join(', ')}) VALUES ${tuples.join(', ')}`,
      values,
    );
  }

  async list(query: RequestLogQuery, limit: number) {
    const params: unknown[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const where = whereOf(query, param, (d) => d);
    const { rows } = await this.pool.query(
      `SELECT seq, entry FROM ${this.t}request_log ${where} ORDER BY at DESC, seq DESC LIMIT ${param(limit)}`,
      params,
    );
    return rows.map((r: { seq: string; entry: RequestLogEntry }) => ({
      seq: Number(r.seq),
      entry: r.entry,
    }));
  }

  async get(id: string): Promise<RequestLogEntry | undefined> {
    const { rows } = await this.pool.query(
      `SELECT entry FROM ${this.t}request_log WHERE request_id = $1 ORDER BY seq DESC LIMIT 1`,
      [id],
    );
    return (rows[0] as { entry: RequestLogEntry } | undefined)?.entry;
  }

  async prune(before: Date): Promise<void> {
    await this.pool.query(`DELETE FROM ${this.t}request_log WHERE at < $1`, [before]);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
