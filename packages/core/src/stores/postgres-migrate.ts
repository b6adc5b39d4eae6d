import type pg from 'pg';

/** `"schema".` to put before a table name ('' without a schema: the connection's search_path). */
export function tablePrefix(schema: string | undefined): string {
  return schema ? `${quoteIdent(schema)}.` : '';
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export interface VersionedMigrations {
  /** Names the advisory lock and the `<name>_migrations` table (e.g. `usage`, `keys`). */
  name: string;
  schema: string | undefined;
  /** SQL of version 1, 2, …: each runs once, in order. */
  migrations: readonly string[];
}

/**
 * Applies the migrations a database lacks, in one transaction under an advisory lock: replicas
 * starting together each take the lock in turn; the first migrates, the others find nothing to
 * do. One helper for the usage, key and request-log stores (the template store keeps its own,
 * older, lock and table).
 */
export async function migrateVersioned(pool: pg.Pool, plan: VersionedMigrations): Promise<void> {
  const t = tablePrefix(plan.schema);
  const table = `${t}${plan.name}_migrations`;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1 || current_schema()))', [
      `${plan.name}:${plan.schema ?? ''}:`,
    ]);
    if (plan.schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(plan.schema)}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${table} (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
    );
    const { rows } = await client.query(`SELECT MAX(version) AS v FROM ${table}`);
    for (let version = Number(rows[0]?.v ?? 0) + 1; version <= plan.migrations.length; version++) {
      await client.query(plan.migrations[version - 1] as string);
      await client.query(`INSERT INTO ${table} (version) VALUES ($1)`, [version]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
