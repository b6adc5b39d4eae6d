import type Database from 'better-sqlite3';
import type { KeyRecord, KeySettings } from '../../keys/key-model.js';
import { oneAtATime } from '../one-at-a-time.js';
import { migrateSqliteVersioned, openSqliteFile } from '../sqlite-file.js';
import { KEY_COLUMNS, type KeyStore, keyRow, settingColumns, toKeyRecord } from './key-store.js';

/** Schema versions, applied in order once each (tracked in `key_migrations`). */
const MIGRATIONS: string[] = [
  `CREATE TABLE api_keys (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     prefix TEXT NOT NULL,
     hash TEXT NOT NULL UNIQUE,
     admin INTEGER NOT NULL,
     models TEXT,
     rpm INTEGER,
     tpm INTEGER,
     budget_tokens INTEGER,
     budget_period TEXT,
     expires_at INTEGER,
     created_at INTEGER NOT NULL,
     revoked_at INTEGER,
     revision INTEGER NOT NULL DEFAULT 0,
     last_used_at INTEGER
   );`,
];

const epoch = (at: Date | null) => (at === null ? null : at.getTime());
const bit = (b: boolean) => (b ? 1 : 0);

/** The default key store: a table in the local SQLite file (times as epoch ms). */
export class SqliteKeyStore implements KeyStore {
  readonly kind = 'sqlite';
  private readonly db: Database.Database;

  constructor(filename: string) {
    this.db = openSqliteFile(filename);
  }

  async migrate(): Promise<void> {
    migrateSqliteVersioned(this.db, 'key', MIGRATIONS);
  }

  /** One process writes the file (its replica): a lock in the process is enough. */
  readonly exclusive = oneAtATime();

  async list(): Promise<KeyRecord[]> {
    const rows = this.db.prepare('SELECT * FROM api_keys ORDER BY created_at, id').all();
    return (rows as Record<string, unknown>[]).map(toKeyRecord);
  }

  async get(id: string): Promise<KeyRecord | undefined> {
    const row = this.db.prepare('SELECT * FROM api_keys WHERE id = ?').get(id);
    return row ? toKeyRecord(row as Record<string, unknown>) : undefined;
  }

  async insert(record: KeyRecord): Promise<void> {
    const placeholders = KEY_COLUMNS.map(() => '?').join(', ');
    this.db
      .prepare(`INSERT INTO api_keys (${KEY_COLUMNS.join(', ')}) VALUES (${placeholders})`)
      .run(...keyRow(record, epoch, bit));
  }

  async update(id: string, patch: Partial<KeySettings>): Promise<KeyRecord | undefined> {
    const columns = settingColumns(patch, epoch, bit);
    if (columns.length > 0) {
      const sets = columns.map(([c]) => `${c} = ?`).join(', ');
      this.db
        .prepare(`UPDATE api_keys SET ${sets}, revision = revision + 1 WHERE id = ?`)
        .run(...columns.map(([, v]) => v), id);
    }
    return this.get(id);
  }

  async revoke(id: string, at: Date): Promise<KeyRecord | undefined> {
    this.db
      .prepare(
        'UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?), revision = revision + 1 WHERE id = ?',
      )
      .run(at.getTime(), id);
    return this.get(id);
  }

  async revision(): Promise<string> {
    const row = this.db
      .prepare('SELECT COUNT(*) AS n, COALESCE(SUM(revision), 0) AS r FROM api_keys')
      .get() as { n: number; r: number };
    return `${row.n}:${row.r}`;
  }

  async touch(lastUsed: ReadonlyMap<string, Date>): Promise<void> {
    if (lastUsed.size === 0) return;
    const statement = this.db.prepare(
      'UPDATE api_keys SET last_used_at = MAX(COALESCE(last_used_at, 0), ?) WHERE id = ?',
    );
    this.db.transaction(() => {
      for (const [id, at] of lastUsed) statement.run(at.getTime(), id);
    })();
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
