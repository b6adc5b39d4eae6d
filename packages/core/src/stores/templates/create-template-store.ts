import { GatewayError } from '../../errors.js';
import { databaseTarget } from '../database-url.js';
import type { TemplateStore } from './template-store.js';

export const DEFAULT_SQLITE_PATH = './data/gateway.sqlite';

export interface CreateTemplateStoreOptions {
  /** PostgreSQL schema for the tables (default `public`); ignored for SQLite. */
  schema?: string;
}

/**
 * Picks the store from `DATABASE_URL`: `postgres://` / `postgresql://` → PostgreSQL, anything
 * else is a SQLite file path (`sqlite:` / `file:` prefixes are accepted and stripped). Migrations
 * are applied before it returns. Each driver is loaded only when its store is used (pg alone
 * weighs ~16 MB of a gateway's memory).
 */
export async function createTemplateStore(
  databaseUrl: string = DEFAULT_SQLITE_PATH,
  options: CreateTemplateStoreOptions = {},
): Promise<TemplateStore> {
  const target = databaseTarget(databaseUrl, DEFAULT_SQLITE_PATH);
  if (target.kind === 'postgres') {
    const { PostgresTemplateStore } = await import('./postgres.js');
    return PostgresTemplateStore.open({
      connectionString: target.connectionString,
      ...(options.schema === undefined ? {} : { schema: options.schema }),
    });
  }
  const path = target.filename;
  const { SqliteTemplateStore } = await import('./sqlite.js');
  try {
    return new SqliteTemplateStore(path);
  } catch (error) {
    throw new GatewayError('INTERNAL', `Cannot open the SQLite template store at ${path}`, {
      cause: error,
    });
  }
}
