import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

/**
 * A SQLite file as every store opens it: its folder created, WAL (readers never wait for the
 * writer), and up to 5 s of waiting for another process's write lock instead of failing.
 */
export function openSqliteFile(filename: string): Database.Database {
  if (filename !== ':memory:') mkdirSync(dirname(filename), { recursive: true });
  const db = new Database(filename);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  return db;
}

/**
 * Applies the migrations a file lacks, in one immediate transaction (two processes opening the
 * same file never apply one twice), tracked in `<name>_migrations`: the SQLite twin of
 * postgres-migrate's migrateVersioned.
 */
export function migrateSqliteVersioned(
  db: Database.Database,
  name: string,
  migrations: readonly string[],
): void {
  const table = `${name}_migrations`;
  db.exec(
    `CREATE TABLE IF NOT EXISTS ${table} (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)`,
  );
  db.transaction(() => {
    const row = db.prepare(`SELECT MAX(version) AS v FROM ${table}`).get() as {
      v: number | null;
    };
    for (let version = (row.v ?? 0) + 1; version <= migrations.length; version++) {
      db.exec(migrations[version - 1] as string);
      db.prepare(`INSERT INTO ${table} (version, applied_at) VALUES (?, ?)`).run(
        version,
        Date.now(),
      );
    }
  }).immediate();
}
