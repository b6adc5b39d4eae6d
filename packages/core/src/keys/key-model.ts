/**
 * Keys an admin hands out (kept in the store): what one is, how its secret is made and hashed.
 * Only the SHA-256 of the secret and a short display prefix are stored; the secret itself is
 * returned once, by `create`, and never again.
 */
import { createHash, randomBytes } from 'node:crypto';

export type BudgetPeriod = 'day' | 'month';

/** Tokens (prompt + completion) a key may spend per UTC day or calendar month. */
export interface KeyBudget {
  tokens: number;
  period: BudgetPeriod;
}

/** A stored key as the store and admins see it: never the secret, never the hash. */
export interface StoredKey {
  /** `key_` + the first 12 hex digits of the secret's SHA-256 (as env keys get): usage uses it. */
  id: string;
  name: string;
  /** The secret's first characters, to recognise it (`ick_AbCd1234`). */
  prefix: string;
  admin: boolean;
  /** Models this key may use; null = every model the gateway allows. */
  models: string[] | null;
  /** Requests / tokens per minute replacing RATE_LIMIT_RPM/TPM for this key; null = the
   * default, 0 = unlimited. */
  rpm: number | null;
  tpm: number | null;
  budget: KeyBudget | null;
  expiresAt: Date | null;
  createdAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

/** A stored key with its secret's hash, as the store holds it (the directory matches on it). */
export interface KeyRecord extends StoredKey {
  /** Hex SHA-256 of the secret. */
  hash: string;
}

/** What an admin sets on a key (create and update). */
export interface KeySettings {
  name: string;
  admin: boolean;
  models: string[] | null;
  rpm: number | null;
  tpm: number | null;
  budget: KeyBudget | null;
  expiresAt: Date | null;
}

/** The secret's visible start; long enough to tell keys apart, far too short to guess the rest. */
export const KEY_PREFIX_LENGTH = 12;

/** A new secret: `ick_` + 32 base64url characters (192 random bits). */
export function newSecret(): string {
  return `ick_${randomBytes(24).toString('base64url')}`;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** The key id of a secret's hash: the same id an env key of that secret gets. */
export function keyIdOfHash(hash: string): string {
  return `key_${hash.slice(0, 12)}`;
}

/** The key's state at `now`: revoked and expired keys authenticate nobody. */
export function isActive(key: StoredKey, now = Date.now()): boolean {
  return key.revokedAt === null && (key.expiresAt === null || key.expiresAt.getTime() > now);
}

/** Without the hash: what may leave the store's owner. */
export function publicKey(record: KeyRecord): StoredKey {
  const { hash: _hash, ...key } = record;
  return key;
}
