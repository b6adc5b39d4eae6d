import pg from 'pg';
import type { UsageRecord } from '../../service/hooks.js';
import { migrateVersioned, tablePrefix } from '../postgres-migrate.js';
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

const MIGRATIONS = (t: string): string[] => [
  `CREATE TABLE ${t}usage_records (
     id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     at TIMESTAMPTZ NOT NULL,
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
     ttft_ms DOUBLE PRECISION,
     duration_ms DOUBLE PRECISION NOT NULL,
     status TEXT NOT NULL,
     cached BOOLEAN NOT NULL
   );
   CREATE INDEX usage_records_at ON ${t}usage_records (at);`,
];

/** Rows per INSERT statement (15 parameters each; PostgreSQL allows 65 535). */
const ROWS_PER_STATEMENT = 1000;

export interface PostgresUsageStoreOptions {
  connectionString: string;
  /**
   * Schema of the tables (created when missing); tests use one per file. Default: unqualified
   * names, i.e. the connection's `search_path` (`?options=-c search_path=…` in the URL works).
   */
  schema?: string;
  /** Pool size; usage writes are batched, so a small pool suffices. */
  maxConnections?: number;
}

/** The production store, shared by every replica. */
export class PostgresUsageStore implements UsageStore {
  readonly kind = 'postgres';
  private readonly pool: pg.Pool;
  private readonly schema: string | undefined;
  /** `"schema".` prefix of every table name ('' without a schema). */
  private readonly t: string;
  private closed = false;

  constructor(options: PostgresUsageStoreOptions) {
    this.pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.maxConnections ?? 4,
    });
    // An idle client losing its server must not crash the process; the next query reports it.
    this.pool.on('error', () => {});
    this.schema = options.schema;
    this.t = tablePrefix(this.schema);
  }

  async migrate(): Promise<void> {
    await migrateVersioned(this.pool, {
      name: 'usage',
      schema: this.schema,
      migrations: MIGRATIONS(this.t),
    });
  }

  async insert(records: readonly UsageRecord[]): Promise<void> {
    for (let i = 0; i < records.length; i += ROWS_PER_STATEMENT) {
      const chunk = records.slice(i, i + ROWS_PER_STATEMENT);
      const values: unknown[] = [];
      const tuples = chunk.map((r) => {
        const row = usageRow(
          r,
          (at) => at,
          (b) => b,
        );
        const start = values.length;
        values.push(...row);
        return `(${row.map((_, j) => `$${start + j + 1}`).join(', ')})`;
      });
      await this.pool.query(
        `INSERT INTO ${this.t}usage_records (${USAGE_COLUMNS.join(', ')}) VALUES ${tuples.join(', ')}`,
        values,
      );
    }
  }

  async summary(query: UsageSummaryQuery): Promise<UsageSummaryRow[]> {
    const day = "to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD')";
    const where: string[] = [];
    const params: Date[] = [];
    if (query.from) {
      params.push(query.from);
      where.push(`at >= $${params.length}`);
    }
    if (query.to) {
      params.push(query.to);
      where.push(`at < $${params.length}`);
    }
    const { rows } = await this.pool.query(
      `SELECT ${groupExpression(query.groupBy, day)} AS grp, ${SUMMARY_AGGREGATES}
       FROM ${this.t}usage_records ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       GROUP BY grp ORDER BY grp NULLS LAST`,
      params,
    );
    return rows.map(toSummaryRow);
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
