import { databaseTarget, migrated } from '../database-url.js';
import type { UsageStore } from './usage-store.js';

export interface OpenUsageStoreOptions {
  /** SQLite file used when `databaseUrl` is absent. */
  defaultSqlitePath?: string;
  /** PostgreSQL schema (default: the connection's search_path). */
  schema?: string;
}

/**
 * The store `DATABASE_URL` names — `postgres://…` → PostgreSQL, anything else a SQLite file
 * path (`sqlite:` / `file:` prefixes allowed) — migrated and ready. Default `./data/gateway.db`.
 */
export async function openUsageStore(
  databaseUrl: string | undefined,
  options: OpenUsageStoreOptions = {},
): Promise<UsageStore> {
  const target = databaseTarget(databaseUrl, options.defaultSqlitePath);
  // Each driver is loaded only when its store is used.
  return migrated(
    target.kind === 'postgres'
      ? new (await import('./postgres-usage-store.js')).PostgresUsageStore({
          connectionString: target.connectionString,
          schema: options.schema,
        })
      : new (await import('./sqlite-usage-store.js')).SqliteUsageStore({
          filename: target.filename,
        }),
  );
}
