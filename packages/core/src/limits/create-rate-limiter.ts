import type { Redis } from 'ioredis';
import type { RateLimiter } from '../service/hooks.js';
import { FallbackRateLimiter, type LimiterBackendState } from './fallback-rate-limiter.js';
import type { BackendLog } from './lease.js';
import { MemoryRateLimiter } from './memory-rate-limiter.js';
import {
  parseLimit,
  parseRateLimitOverrides,
  type RateLimitPolicy,
  type RateLimits,
} from './policy.js';
import { redisAnswers } from './redis-client.js';
import { RedisRateLimiter } from './redis-rate-limiter.js';

export interface CreateRateLimiterOptions {
  policy: RateLimitPolicy;
  /** When given, limits are global across replicas, with memory as the fallback. */
  redis?: Redis;
  keyPrefix?: string;
  windowMs?: number;
  probeIntervalMs?: number;
  onBackendChange?: (state: LimiterBackendState) => void;
  log?: BackendLog;
}

/** Memory limiter without Valkey; Valkey limiter with a memory fallback with it. */
export function createRateLimiter(options: CreateRateLimiterOptions): RateLimiter {
  const memory = new MemoryRateLimiter({ policy: options.policy, windowMs: options.windowMs });
  const redis = options.redis;
  if (!redis) return memory;
  return new FallbackRateLimiter({
    primary: new RedisRateLimiter({ ...options, redis }),
    fallback: memory,
    primaryHealthy: () => redisAnswers(redis),
    probeIntervalMs: options.probeIntervalMs,
    onBackendChange: options.onBackendChange,
    log: options.log,
  });
}

/**
 * The policy from `RATE_LIMIT_RPM`, `RATE_LIMIT_TPM` and `RATE_LIMIT_OVERRIDES`
 * (`keyId:rpm:tpm,…`; 0 = unlimited); null when nothing is limited (no limiter needed).
 * Throws BAD_REQUEST naming the variable on bad values.
 */
export function rateLimitPolicyFromEnv(
  env: Record<string, string | undefined>,
): RateLimitPolicy | null {
  const overrides = parseRateLimitOverrides(env.RATE_LIMIT_OVERRIDES);
  const defaults = {
    requestsPerMinute: parseLimit(env.RATE_LIMIT_RPM, 'RATE_LIMIT_RPM'),
    tokensPerMinute: parseLimit(env.RATE_LIMIT_TPM, 'RATE_LIMIT_TPM'),
  };
  const unlimited = (l: RateLimits) => l.requestsPerMinute === null && l.tokensPerMinute === null;
  if (unlimited(defaults) && Object.values(overrides).every(unlimited)) return null;
  return { defaults, overrides };
}
