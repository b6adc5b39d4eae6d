import type { KeyStore } from './key-store.js';

/**
 * The key store `DATABASE_URL` names — `postgres://…` → PostgreSQL, anything else a SQLite file
 * path (`sqlite:` / `file:` prefixes allowed) — migrated and ready. Default `./data/gateway.db`.
 */
export async function openKeyStore(
  databaseUrl: string | undefined,
  options: { schema?: string | undefined } = {},
): Promise<KeyStore> {
  const url = databaseUrl?.trim();
  // Each driver is loaded only when its store is used.
  const store: KeyStore =
    url && /^postgres(ql)?:\/\//.test(url)
      ? new (await import('./postgres-key-store.js')).PostgresKeyStore({
          connectionString: url,
          schema: options.schema,
        })
      : new (await import('./sqlite-key-store.js')).SqliteKeyStore(
          url ? url.replace(/^(sqlite|file):(\/\/)?/, '') : './data/gateway.db',
        );
  try {
    await store.migrate();
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}
