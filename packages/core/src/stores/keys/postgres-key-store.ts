import pg from 'pg';
import type { KeyRecord, KeySettings } from '../../keys/key-model.js';
import { oneAtATime } from '../one-at-a-time.js';
import { migrateVersioned, tablePrefix } from '../postgres-migrate.js';
import { KEY_COLUMNS, type KeyStore, keyRow, settingColumns, toKeyRecord } from './key-store.js';

const MIGRATIONS = (t: string): string[] => [
  `CREATE TABLE ${t}api_keys (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     prefix TEXT NOT NULL,
     hash TEXT NOT NULL UNIQUE,
     admin BOOLEAN NOT NULL,
     models TEXT,
     rpm INTEGER,
     tpm INTEGER,
     budget_tokens BIGINT,
     budget_period TEXT,
     expires_at TIMESTAMPTZ,
     created_at TIMESTAMPTZ NOT NULL,
     revoked_at TIMESTAMPTZ,
     revision INTEGER NOT NULL DEFAULT 0,
     last_used_at TIMESTAMPTZ
   );`,
];

export interface PostgresKeyStoreOptions {
  connectionString: string;
  /** Schema of the table (created when missing); default: the connection's search_path. */
  schema?: string | undefined;
}

const LOCK = 'SELECT pg_advisory_lock(hashtext($1 || current_schema()))';
const UNLOCK = 'SELECT pg_advisory_unlock(hashtext($1 || current_schema()))';

const same = (at: Date | null) => at;
const bool = (b: boolean) => b;

/** Keys shared by every replica (the directory of each caches them; see keys/key-directory). */
export class PostgresKeyStore implements KeyStore {
  readonly kind = 'postgres';
  private readonly pool: pg.Pool;
  private readonly schema: string | undefined;
  /** `"schema".` prefix of the table name ('' without a schema). */
  private readonly t: string;
  private closed = false;
  /** Names the lock of key changes: the table's schema, then the connection's (as migrations). */
  private readonly lockName: string;

  constructor(options: PostgresKeyStoreOptions) {
    // Key reads are a reload every few seconds and admin writes: two connections suffice.
    this.pool = new pg.Pool({ connectionString: options.connectionString, max: 2 });
    this.pool.on('error', () => {});
    this.schema = options.schema;
    this.t = tablePrefix(this.schema);
    this.lockName = `key-changes:${this.schema ?? ''}:`;
  }

  async migrate(): Promise<void> {
    await migrateVersioned(this.pool, {
      name: 'key',
      schema: this.schema,
      migrations: MIGRATIONS(this.t),
    });
  }

  /**
   * In turn within the process (two waits on the lock would hold both pooled connections and
   * leave none for the work), then under a session advisory lock shared with the other replicas,
   * held on a connection of its own while `work` runs on the other.
   */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    return this.inTurn(() => this.locked(work));
  }

  private readonly inTurn = oneAtATime();

  private async locked<T>(work: () => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let unlocked = false;
    try {
      await client.query(LOCK, [this.lockName]);
      try {
        return await work();
      } finally {
        await client.query(UNLOCK, [this.lockName]);
        unlocked = true;
      }
    } finally {
      // A connection that may still hold the lock is closed (which frees it), not pooled.
      client.release(!unlocked);
    }
  }

  async list(): Promise<KeyRecord[]> {
    const { rows } = await this.pool.query(
      `SELECT * FROM ${this.t}api_keys ORDER BY created_at, id`,
    );
    return rows.map(toKeyRecord);
  }

  async get(id: string): Promise<KeyRecord | undefined> {
    const { rows } = await this.pool.query(`SELECT * FROM ${this.t}api_keys WHERE id = $1`, [id]);
    return rows[0] ? toKeyRecord(rows[0]) : undefined;
  }

  async insert(record: KeyRecord): Promise<void> {
    const placeholders = KEY_COLUMNS.map((_, i) => `$${i + 1}`).join(', ');
    await this.pool.query(
      `INSERT INTO ${this.t}api_keys (${KEY_COLUMNS.join(', ')}) VALUES (${placeholders})`,
      keyRow(record, same, bool),
    );
  }

  async update(id: string, patch: Partial<KeySettings>): Promise<KeyRecord | undefined> {
    const columns = settingColumns(patch, same, bool);
    if (columns.length === 0) return this.get(id);
    const sets = columns.map(([c], i) => `${c} = $${i + 2}`).join(', ');
    const { rows } = await this.pool.query(
      `UPDATE ${this.t}api_keys SET ${sets}, revision = revision + 1 WHERE id = $1 RETURNING *`,
      [id, ...columns.map(([, v]) => v)],
    );
    return rows[0] ? toKeyRecord(rows[0]) : undefined;
  }

  async revoke(id: string, at: Date): Promise<KeyRecord | undefined> {
    const { rows } = await this.pool.query(
      `UPDATE ${this.t}api_keys SET revoked_at = COALESCE(revoked_at, $2), revision = revision + 1
       WHERE id = $1 RETURNING *`,
      [id, at],
    );
    return rows[0] ? toKeyRecord(rows[0]) : undefined;
  }

  async revision(): Promise<string> {
    const { rows } = await this.pool.query(
      `SELECT COUNT(*) AS n, COALESCE(SUM(revision), 0) AS r FROM ${this.t}api_keys`,
    );
    return `${rows[0]?.n}:${rows[0]?.r}`;
  }

  async touch(lastUsed: ReadonlyMap<string, Date>): Promise<void> {
    if (lastUsed.size === 0) return;
    // One statement for the whole batch.
    await this.pool.query(
      `UPDATE ${this.t}api_keys AS k SET last_used_at = GREATEST(k.last_used_at, u.at)
       FROM unnest($1::text[], $2::timestamptz[]) AS u(id, at) WHERE k.id = u.id`,
      [[...lastUsed.keys()], [...lastUsed.values()]],
    );
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
