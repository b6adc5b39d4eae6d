import type { Redis, RedisOptions } from 'ioredis';
import type { BackendLog } from './lease.js';

export interface ConnectRedisOptions {
  /** How long start-up waits for the first connection before going on without it. */
  readyTimeoutMs?: number;
  /** Per-command timeout: a Valkey that stops answering counts as gone after this. */
  commandTimeoutMs?: number;
  log?: BackendLog;
  /** Extra ioredis options (tests use them to shorten reconnect delays). */
  redisOptions?: RedisOptions;
}

/**
 * A Valkey/Redis client tuned for a request path that must never wait on a lost server:
 * commands fail at once while disconnected (no offline queue, no per-request retries) so the
 * limiter falls back and the cache misses, while the client keeps reconnecting in the
 * background. Resolves when connected, or after `readyTimeoutMs` with the client still trying.
 */
export async function connectRedis(url: string, options: ConnectRedisOptions = {}): Promise<Redis> {
  const log = options.log;
  // Loaded only when VALKEY_URL is set: ioredis weighs ~8 MB of an idle gateway's memory.
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: options.commandTimeoutMs ?? 1000,
    connectTimeout: 2000,
    retryStrategy: (attempt) => Math.min(100 * attempt, 2000),
    ...options.redisOptions,
  });
  // One warning per outage, not one per reconnect attempt.
  let announced = false;
  redis.on('error', (error: Error) => {
    if (announced) return;
    announced = true;
    log?.('warn', 'Valkey connection error', { error: error.message });
  });
  redis.on('ready', () => {
    if (announced) log?.('info', 'Valkey connection restored');
    announced = false;
  });
  const timeoutMs = options.readyTimeoutMs ?? 3000;
  await new Promise<void>((resolve) => {
    if (redis.status === 'ready') return resolve();
    const timer = setTimeout(() => {
      log?.('warn', `Valkey not reachable after ${timeoutMs} ms; starting without it`);
      resolve();
    }, timeoutMs);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  return redis;
}

/** True when the server answers PING; never throws. */
export async function redisAnswers(redis: Redis): Promise<boolean> {
  if (redis.status !== 'ready') return false;
  try {
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  }
}

/** Closes a client quietly, whatever state it is in. */
export async function closeRedis(redis: Redis): Promise<void> {
  try {
    if (redis.status === 'ready') await redis.quit();
    else redis.disconnect();
  } catch {
    redis.disconnect();
  }
}
