import type Database from 'better-sqlite3';
import type { UsageRecord } from '../../service/hooks.js';
import { migrateSqliteVersioned, openSqliteFile } from '../sqlite-file.js';
import {
  groupExpression,
  SUMMARY_AGGREGATES,
  toSummaryRow,
  USAGE_COLUMNS,
  type UsageStore,
  type UsageSummaryQuery,
  type UsageSummaryRow,
  usageRow,
} from './usage-store.js';

/** Schema versions, applied in order once each (tracked in `usage_migrations`). */
const MIGRATIONS: string[] = [
  `CREATE TABLE usage_records (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     at INTEGER NOT NULL,
     request_id TEXT,
     key_id TEXT,
     door TEXT NOT NULL,
     operation TEXT NOT NULL,
     model TEXT NOT NULL,
     upstream TEXT,
     template_id TEXT,
     template_version INTEGER,
     prompt_tokens INTEGER NOT NULL,
     completion_tokens INTEGER NOT NULL,
     ttft_ms REAL,
     duration_ms REAL NOT NULL,
     status TEXT NOT NULL,
     cached INTEGER NOT NULL
   );
   CREATE INDEX usage_records_at ON usage_records (at);`,
];

export interface SqliteUsageStoreOptions {
  /** A file path (its folder is created) or `:memory:`. */
  filename: string;
}

/** The default store: one local file, times as epoch ms. */
export class SqliteUsageStore implements UsageStore {
  readonly kind = 'sqlite';
  private readonly db: Database.Database;
  private insertMany: ((records: readonly UsageRecord[]) => void) | undefined;

  constructor(options: SqliteUsageStoreOptions) {
    this.db = openSqliteFile(options.filename);
  }

  async migrate(): Promise<void> {
    migrateSqliteVersioned(this.db, 'usage', MIGRATIONS);
  }

  async insert(records: readonly UsageRecord[]): Promise<void> {
    if (records.length === 0) return;
    this.insertMany ??= this.prepareInsert();
    this.insertMany(records);
  }

  async summary(query: UsageSummaryQuery): Promise<UsageSummaryRow[]> {
    const day = "strftime('%Y-%m-%d', at / 1000, 'unixepoch')";
    const where: string[] = [];
    const params: number[] = [];
    if (query.from) {
      where.push('at >= ?');
      params.push(query.from.getTime());
    }
    if (query.to) {
      where.push('at < ?');
      params.push(query.to.getTime());
    }
    const sql = `SELECT ${groupExpression(query.groupBy, day)} AS grp, ${SUMMARY_AGGREGATES}
      FROM usage_records ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      GROUP BY grp ORDER BY grp NULLS LAST`;
    const rows = this.db.prepare(sql).all(...params) as Record<string, unknown>[];
    return rows.map(toSummaryRow);
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private prepareInsert(): (records: readonly UsageRecord[]) => void {
    const placeholders = USAGE_COLUMNS.map(() => '?').join(', ');
    const statement = this.db.prepare(
      `INSERT INTO usage_records (${USAGE_COLUMNS.join(', ')}) VALUES (${placeholders})`,
    );
    return this.db.transaction((records: readonly UsageRecord[]) => {
      for (const r of records) {
        statement.run(
          ...usageRow(
            r,
            (at) => at.getTime(),
            (b) => (b ? 1 : 0),
          ),
        );
      }
    });
  }
}
