import { databaseTarget, migrated } from '../database-url.js';
import type { KeyStore } from './key-store.js';

/**
 * The key store `DATABASE_URL` names — `postgres://…` → PostgreSQL, anything else a SQLite file
 * path (`sqlite:` / `file:` prefixes allowed) — migrated and ready. Default `./data/gateway.db`.
 */
export async function openKeyStore(
  databaseUrl: string | undefined,
  options: { schema?: string | undefined } = {},
): Promise<KeyStore> {
  const target = databaseTarget(databaseUrl);
  // Each driver is loaded only when its store is used.
  return migrated(
    target.kind === 'postgres'
      ? new (await import('./postgres-key-store.js')).PostgresKeyStore({
          connectionString: target.connectionString,
          schema: options.schema,
        })
      : new (await import('./sqlite-key-store.js')).SqliteKeyStore(target.filename),
  );
}
