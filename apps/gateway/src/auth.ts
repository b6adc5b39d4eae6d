import { createHash, timingSafeEqual } from 'node:crypto';

/** The authenticated caller (same shape as core's Caller). */
export interface Caller {
  /** Non-secret id of the key (`key_` + a prefix of its SHA-256), null when auth is off. */
  keyId: string | null;
  /** Display name of a stored key; env keys have none. */
  name?: string;
  admin: boolean;
}

export type AuthResult =
  | { ok: true; caller: Caller }
  | { ok: false; code: 'UNAUTHORIZED'; message: string };

interface KnownKey {
  digest: Buffer;
  caller: Caller;
}

const OPEN_CALLER: Caller = Object.freeze({ keyId: null, admin: true }) as Caller;

export function keyIdOf(key: string): string {
  return `key_${createHash('sha256').update(key).digest('hex').slice(0, 12)}`;
}

/**
 * Resolves `Authorization: Bearer <key>` against API_KEYS / ADMIN_API_KEYS. Keys are compared
 * as SHA-256 digests with timingSafeEqual against every known key (no early exit), so neither
 * the key's length nor its first differing byte leaks through timing. Keys are never logged.
 */
export class ApiKeyAuth {
  readonly enabled: boolean;
  private readonly keys: KnownKey[];

  constructor(userKeys: string[], adminKeys: string[]) {
    const byDigest = new Map<string, KnownKey>();
    for (const [keys, admin] of [
      [userKeys, false],
      [adminKeys, true],
    ] as const) {
      for (const key of keys) {
        const digest = createHash('sha256').update(key).digest();
        const hex = digest.toString('hex');
        const previous = byDigest.get(hex);
        byDigest.set(hex, {
          digest,
          caller: { keyId: keyIdOf(key), admin: admin || (previous?.caller.admin ?? false) },
        });
      }
    }
    this.keys = [...byDigest.values()];
    this.enabled = this.keys.length > 0;
  }

  /** `header` is the raw Authorization header value (or undefined). */
  authenticate(header: string | undefined): AuthResult {
    if (!this.enabled) return { ok: true, caller: OPEN_CALLER };
    if (!header) return { ok: false, code: 'UNAUTHORIZED', message: 'Missing API key' };
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) {
      return { ok: false, code: 'UNAUTHORIZED', message: 'Authorization must be "Bearer <key>"' };
    }
    const digest = createHash('sha256').update(match[1]!).digest();
    let found: Caller | undefined;
    for (const known of this.keys) {
      if (timingSafeEqual(digest, known.digest)) found = known.caller;
    }
    if (!found) return { ok: false, code: 'UNAUTHORIZED', message: 'Invalid API key' };
    return { ok: true, caller: found };
  }
}
