import { GatewayError } from '../errors.js';

/** Per-minute limits for one caller. `null` leaves that dimension unlimited. */
export interface RateLimits {
  requestsPerMinute: number | null;
  tokensPerMinute: number | null;
}

/**
 * Which limits apply to whom. Every API key gets its own budget of `defaults` unless
 * `overrides` names it; anonymous callers share one budget (`anonymous`, else `defaults`).
 */
export interface RateLimitPolicy {
  defaults: RateLimits;
  anonymous?: RateLimits;
  overrides?: Record<string, RateLimits>;
}

/** The bucket id anonymous callers share (not a shape API key ids take). */
export const ANONYMOUS_BUCKET = '*anonymous*';

export function limitsFor(policy: RateLimitPolicy, keyId: string | null): RateLimits {
  if (keyId === null) return policy.anonymous ?? policy.defaults;
  return policy.overrides?.[keyId] ?? policy.defaults;
}

/** The policy's limits for a key with a stored key's own limits laid over them. */
export function effectiveLimits(
  policy: RateLimitPolicy,
  keyId: string | null,
  own: Partial<RateLimits> | undefined,
): RateLimits {
  const base = limitsFor(policy, keyId);
  if (!own) return base;
  return {
    requestsPerMinute:
      own.requestsPerMinute === undefined ? base.requestsPerMinute : own.requestsPerMinute,
    tokensPerMinute: own.tokensPerMinute === undefined ? base.tokensPerMinute : own.tokensPerMinute,
  };
}

/** Both dimensions unlimited: nothing to count. */
export function isUnlimited(limits: RateLimits): boolean {
  return limits.requestsPerMinute === null && limits.tokensPerMinute === null;
}

export function bucketFor(keyId: string | null): string {
  return keyId ?? ANONYMOUS_BUCKET;
}

/**
 * Parses `RATE_LIMIT_OVERRIDES` (`keyId:rpm:tpm,…`). An rpm/tpm of 0, empty (`key_a::5000`)
 * or `-` leaves that dimension unlimited. Throws BAD_REQUEST naming the bad entry.
 */
export function parseRateLimitOverrides(text: string | undefined): Record<string, RateLimits> {
  const overrides: Record<string, RateLimits> = {};
  if (!text?.trim()) return overrides;
  for (const raw of text.split(',')) {
    const entry = raw.trim();
    if (!entry) continue;
    const parts = entry.split(':');
    const [keyId, rpm, tpm] = parts;
    if (parts.length !== 3 || !keyId) {
      throw limitError('RATE_LIMIT_OVERRIDES', `entry "${entry}": expected keyId:rpm:tpm`);
    }
    const field = `RATE_LIMIT_OVERRIDES entry "${entry}"`;
    overrides[keyId] = {
      requestsPerMinute: parseLimit(rpm, field),
      tokensPerMinute: parseLimit(tpm, field),
    };
  }
  return overrides;
}

/** Parses one limit (`RATE_LIMIT_RPM`, …): 0, empty or `-` → unlimited, else an integer. */
export function parseLimit(text: string | undefined, field = 'limit'): number | null {
  const value = text?.trim();
  if (!value || value === '-') return null;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    throw limitError(field, `"${value}" is not a non-negative integer`);
  }
  return n === 0 ? null : n;
}

/** Limits as the gateway config holds them (numbers, 0 = unlimited) → a policy. */
export interface RateLimitSettings {
  rpm: number;
  tpm: number;
  overrides?:
    | readonly { keyId: string; rpm: number; tpm: number }[]
    | Record<string, { rpm: number; tpm: number }>;
}

/** The policy for config numbers (0 = unlimited); null when nothing is limited at all. */
export function rateLimitPolicy(settings: RateLimitSettings): RateLimitPolicy | null {
  const limit = (n: number) => (n > 0 ? n : null);
  const toLimits = (l: { rpm: number; tpm: number }): RateLimits => ({
    requestsPerMinute: limit(l.rpm),
    tokensPerMinute: limit(l.tpm),
  });
  const list = Array.isArray(settings.overrides)
    ? settings.overrides
    : Object.entries(settings.overrides ?? {}).map(([keyId, l]) => ({ keyId, ...l }));
  const overrides: Record<string, RateLimits> = {};
  for (const o of list) overrides[o.keyId] = toLimits(o);
  const defaults = toLimits(settings);
  const unlimited = (l: RateLimits) => l.requestsPerMinute === null && l.tokensPerMinute === null;
  if (unlimited(defaults) && Object.values(overrides).every(unlimited)) return null;
  return { defaults, overrides };
}

function limitError(field: string, why: string): GatewayError {
  return new GatewayError('BAD_REQUEST', `${field}: ${why}`, {
    fieldErrors: [{ path: field.split(' ')[0] ?? field, message: why }],
  });
}
