import type { KeyBudget, KeyRecord, KeySettings } from '../../keys/key-model.js';

/** Where stored keys live: SQLite by default, PostgreSQL when DATABASE_URL names it. */
export interface KeyStore {
  readonly kind: 'sqlite' | 'postgres';
  /** Creates or upgrades the table; idempotent, safe when several replicas start at once. */
  migrate(): Promise<void>;
  /** Every key, revoked ones too (their names still label old usage), oldest first. */
  list(): Promise<KeyRecord[]>;
  get(id: string): Promise<KeyRecord | undefined>;
  insert(record: KeyRecord): Promise<void>;
  /** Applies the given fields; undefined when there is no such key. */
  update(id: string, patch: Partial<KeySettings>): Promise<KeyRecord | undefined>;
  /** Marks the key revoked (kept for its name); undefined when there is no such key. */
  revoke(id: string, at: Date): Promise<KeyRecord | undefined>;
  /**
   * Changes when any key is created, updated or revoked (not when one is used): the directory's
   * periodic check costs this one small query instead of reading every key.
   */
  revision(): Promise<string>;
  /**
   * Runs `work` while no other `exclusive` work on the same keys runs (of this store, and of the
   * other replicas sharing it): the key service's admin-key and unique-name checks read the keys,
   * then its change writes them.
   */
  exclusive<T>(work: () => Promise<T>): Promise<T>;
  /** Records when keys were last used (one batched write for many requests). */
  touch(lastUsed: ReadonlyMap<string, Date>): Promise<void>;
  ping(): Promise<void>;
  /** Idempotent. */
  close(): Promise<void>;
}

/** Column names in insert order, shared by both dialects. */
export const KEY_COLUMNS = [
  'id',
  'name',
  'prefix',
  'hash',
  'admin',
  'models',
  'rpm',
  'tpm',
  'budget_tokens',
  'budget_period',
  'expires_at',
  'created_at',
  'revoked_at',
  'last_used_at',
] as const;

/** Settings field → column values (models as JSON text, budget split in two). */
export function settingColumns(
  patch: Partial<KeySettings>,
  encodeAt: (at: Date | null) => unknown,
  encodeBool: (b: boolean) => unknown,
): [string, unknown][] {
  const columns: [string, unknown][] = [];
  if (patch.name !== undefined) columns.push(['name', patch.name]);
  if (patch.admin !== undefined) columns.push(['admin', encodeBool(patch.admin)]);
  if (patch.models !== undefined) {
    columns.push(['models', patch.models === null ? null : JSON.stringify(patch.models)]);
  }
  if (patch.rpm !== undefined) columns.push(['rpm', patch.rpm]);
  if (patch.tpm !== undefined) columns.push(['tpm', patch.tpm]);
  if (patch.budget !== undefined) {
    columns.push(['budget_tokens', patch.budget?.tokens ?? null]);
    columns.push(['budget_period', patch.budget?.period ?? null]);
  }
  if (patch.expiresAt !== undefined) columns.push(['expires_at', encodeAt(patch.expiresAt)]);
  return columns;
}

/** A record as column values, in KEY_COLUMNS order. */
export function keyRow(
  r: KeyRecord,
  encodeAt: (at: Date | null) => unknown,
  encodeBool: (b: boolean) => unknown,
): unknown[] {
  return [
    r.id,
    r.name,
    r.prefix,
    r.hash,
    encodeBool(r.admin),
    r.models === null ? null : JSON.stringify(r.models),
    r.rpm,
    r.tpm,
    r.budget?.tokens ?? null,
    r.budget?.period ?? null,
    encodeAt(r.expiresAt),
    encodeAt(r.createdAt),
    encodeAt(r.revokedAt),
    encodeAt(r.lastUsedAt),
  ];
}

/** A row of either dialect → a record (times as Date or epoch ms, booleans as 0/1 or bool). */
export function toKeyRecord(row: Record<string, unknown>): KeyRecord {
  const at = (v: unknown) =>
    v === null || v === undefined ? null : v instanceof Date ? v : new Date(Number(v));
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  const tokens = num(row.budget_tokens);
  const period = row.budget_period;
  const budget: KeyBudget | null =
    tokens !== null && (period === 'day' || period === 'month') ? { tokens, period } : null;
  return {
    id: String(row.id),
    name: String(row.name),
    prefix: String(row.prefix),
    hash: String(row.hash),
    admin: row.admin === true || row.admin === 1,
    models: typeof row.models === 'string' ? (JSON.parse(row.models) as string[]) : null,
    rpm: num(row.rpm),
    tpm: num(row.tpm),
    budget,
    expiresAt: at(row.expires_at),
    createdAt: at(row.created_at) ?? new Date(0),
    revokedAt: at(row.revoked_at),
    lastUsedAt: at(row.last_used_at),
  };
}
