/** Where DATABASE_URL points: `postgres://…` (or `postgresql://…`), else a SQLite file path
 * (`sqlite:` / `file:` prefixes allowed); no URL at all → `defaultSqlitePath`. Schemes are read
 * case-insensitively (as URLs define them), the same for every store. */
export type DatabaseTarget =
  | { kind: 'postgres'; connectionString: string }
  | { kind: 'sqlite'; filename: string };

export function databaseTarget(
  databaseUrl: string | undefined,
  defaultSqlitePath = './data/gateway.db',
): DatabaseTarget {
  const url = databaseUrl?.trim();
  if (url && /^postgres(ql)?:\/\//i.test(url)) return { kind: 'postgres', connectionString: url };
  return {
    kind: 'sqlite',
    filename: url?.replace(/^(sqlite|file):(\/\/)?/i, '') || defaultSqlitePath,
  };
}

/** Runs a freshly opened store's migrations; closes it when they fail. */
export async function migrated<T extends { migrate(): Promise<void>; close(): Promise<void> }>(
  store: T,
): Promise<T> {
  try {
    await store.migrate();
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}
