import { isGatewayError } from '../errors.js';
import type { Caller } from '../service/context.js';
import type { RateLimiter, RateLimitLease } from '../service/hooks.js';
import type { BackendLog } from './lease.js';

/** `primary` = the shared (Valkey) limiter; `fallback` = per-replica memory limits. */
export type LimiterBackendState = 'primary' | 'fallback';

export interface FallbackRateLimiterOptions {
  primary: RateLimiter;
  fallback: RateLimiter;
  /** Probe used while on the fallback; true brings the primary back. */
  primaryHealthy: () => Promise<boolean>;
  /** How often the primary is probed while on the fallback. */
  probeIntervalMs?: number;
  /** Metric hook: called on every switch (and the gateway exports the current state). */
  onBackendChange?: (state: LimiterBackendState) => void;
  log?: BackendLog;
}

/**
 * Never unlimited: when the shared limiter's backend fails, each replica keeps limiting on
 * its own (so N replicas allow at most N × the limit) until the probe sees the backend again.
 * Refusals (GatewayError) pass through; anything else from the primary is a backend failure.
 */
export class FallbackRateLimiter implements RateLimiter {
  private current: LimiterBackendState = 'primary';
  private probeTimer: NodeJS.Timeout | undefined;
  private probing = false;
  private closed = false;
  /** Times the limiter switched to the fallback since start. */
  fallbackActivations = 0;

  constructor(private readonly options: FallbackRateLimiterOptions) {}

  get state(): LimiterBackendState {
    return this.current;
  }

  async reserve(
    keyId: string | null,
    estimatedTokens: number,
    limits?: Caller['limits'],
  ): Promise<RateLimitLease> {
    if (this.current === 'primary') {
      try {
        return await this.options.primary.reserve(keyId, estimatedTokens, limits);
      } catch (error) {
        if (isGatewayError(error)) throw error;
        this.switchToFallback(error);
      }
    }
    return this.options.fallback.reserve(keyId, estimatedTokens, limits);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.probeTimer);
    await Promise.all([this.options.primary.close(), this.options.fallback.close()]);
  }

  private switchToFallback(error: unknown): void {
    if (this.current === 'fallback' || this.closed) return;
    this.current = 'fallback';
    this.fallbackActivations++;
    this.options.log?.('warn', 'rate limits fell back to per-replica memory: Valkey unreachable', {
      error: error instanceof Error ? error.message : String(error),
    });
    this.options.onBackendChange?.('fallback');
    this.probeTimer = setInterval(() => void this.probe(), this.options.probeIntervalMs ?? 1000);
    this.probeTimer.unref();
  }

  private async probe(): Promise<void> {
    if (this.probing || this.closed || this.current === 'primary') return;
    this.probing = true;
    try {
      if (!(await this.options.primaryHealthy()) || this.closed) return;
      clearInterval(this.probeTimer);
      this.probeTimer = undefined;
      this.current = 'primary';
      this.options.log?.('info', 'rate limits back on shared Valkey');
      this.options.onBackendChange?.('primary');
    } finally {
      this.probing = false;
    }
  }
}
