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
  const url = databaseUrl?.trim();
  // Each driver is loaded only when its store is used.
  const store: UsageStore =
    url && /^postgres(ql)?:\/\//.test(url)
      ? new (await import('./postgres-usage-store.js')).PostgresUsageStore({
          connectionString: url,
          schema: options.schema,
        })
      : new (await import('./sqlite-usage-store.js')).SqliteUsageStore({
          filename: url
            ? url.replace(/^(sqlite|file):(\/\/)?/, '')
            : (options.defaultSqlitePath ?? './data/gateway.db'),
        });
  try {
    await store.migrate();
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}
