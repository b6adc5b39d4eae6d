import { createHash, timingSafeEqual } from 'node:crypto';
import { type Caller, hashSecret, type KeyDirectory, keyIdOfHash } from '@intellicore/llm-core';

/** The authenticated caller: core's Caller (a stored key adds its name, models, limits, budget). */
export type { Caller };

export type AuthResult =
  | { ok: true; caller: Caller }
  | { ok: false; code: 'UNAUTHORIZED'; message: string };

interface KnownKey {
  digest: Buffer;
  caller: Caller;
}

const OPEN_CALLER: Caller = Object.freeze({ keyId: null, admin: true }) as Caller;

/** The non-secret id of a key: the same for an env key and a stored key of that secret. */
export function keyIdOf(key: string): string {
  return keyIdOfHash(hashSecret(key));
}

/**
 * Resolves `Authorization: Bearer <key>` against API_KEYS / ADMIN_API_KEYS, then the stored keys.
 * Env keys are compared as SHA-256 digests with timingSafeEqual against every known key (no
 * early exit), so neither the key's length nor its first differing byte leaks through timing;
 * stored keys are found by their digest in the directory's map (a lookup by a hash of the
 * secret tells a timing observer nothing about the secret). Keys are never logged.
 */
export class ApiKeyAuth {
  private readonly keys: KnownKey[];

  /** `directory`: the stored keys; auth is on as soon as any key exists, env or stored. */
  constructor(
    userKeys: string[],
    adminKeys: string[],
    private readonly directory?: Pick<KeyDirectory, 'lookup' | 'size'>,
  ) {
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
  }

  /** False in open mode: no env key and no stored key (every caller is admin then). */
  get enabled(): boolean {
    return this.keys.length > 0 || (this.directory?.size ?? 0) > 0;
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
    if (found) return { ok: true, caller: found };
    const stored = this.directory?.lookup(digest.toString('hex'));
    if (stored && 'caller' in stored) return { ok: true, caller: stored.caller };
    const message = stored ? 'API key expired' : 'Invalid API key';
    return { ok: false, code: 'UNAUTHORIZED', message };
  }
}
