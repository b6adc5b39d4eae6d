import type Database from 'better-sqlite3';
import { openSqliteFile } from '../sqlite-file.js';
import type { RequestLogEntry, RequestLogQuery } from './request-log.js';
import { filterColumns, type RequestLogTable, whereOf } from './stored-request-log.js';

const SCHEMA = `CREATE TABLE IF NOT EXISTS request_log (
   seq INTEGER PRIMARY KEY AUTOINCREMENT,
   at INTEGER NOT NULL,
   request_id TEXT NOT NULL,
   door TEXT NOT NULL,
   key_id TEXT,
   key_name TEXT,
   model TEXT,
   served_model TEXT,
   code TEXT NOT NULL,
   entry TEXT NOT NULL
 );
 CREATE INDEX IF NOT EXISTS request_log_at ON request_log (at);
 CREATE INDEX IF NOT EXISTS request_log_request_id ON request_log (request_id);`;

/** The request log table in the gateway's SQLite file; times as epoch ms. */
export class SqliteRequestLogTable implements RequestLogTable {
  private readonly db: Database.Database;

  constructor(filename: string) {
    this.db = openSqliteFile(filename);
  }

  async migrate(): Promise<void> {
    this.db.exec(SCHEMA);
  }

  async insert(entries: readonly RequestLogEntry[]): Promise<void> {
    const statement = this.db.prepare(
      `INSERT INTO request_log (at, request_id, door, key_id, key_name, model, served_model, code, entry)
       VALUES (@at, @request_id, @door, @key_id, @key_name, @model, @served_model, @code, @entry)`,
    );
    this.db.transaction(() => {
      for (const e of entries) statement.run({ at: Date.parse(e.at), ...filterColumns(e) });
    })();
  }

  async list(query: RequestLogQuery, limit: number) {
    const params: unknown[] = [];
    const where = whereOf(
      query,
      (value) => {
        params.push(value);
        return '?';
      },
      (d) => d.getTime(),
    );
    const rows = this.db
      .prepare(`SELECT seq, entry FROM request_log ${where} ORDER BY at DESC, seq DESC LIMIT ?`)
      .all(...params, limit) as { seq: number; entry: string }[];
    return rows.map((r) => ({ seq: r.seq, entry: JSON.parse(r.entry) as RequestLogEntry }));
  }

  async get(id: string): Promise<RequestLogEntry | undefined> {
    const row = this.db
      .prepare('SELECT entry FROM request_log WHERE request_id = ? ORDER BY seq DESC LIMIT 1')
      .get(id) as { entry: string } | undefined;
    return row ? (JSON.parse(row.entry) as RequestLogEntry) : undefined;
  }

  async prune(before: Date): Promise<void> {
    this.db.prepare('DELETE FROM request_log WHERE at < ?').run(before.getTime());
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
