/**
 * One health check of an upstream: its version (is it alive), then what it has (`/api/tags`)
 * and what it has loaded (`/api/ps`). A failure marks it unhealthy and lengthens its cool-down.
 */
import { GatewayError, toGatewayError } from '../errors.js';
import { canonicalModelName } from '../policy/model-names.js';
import type { ModelInfo, RunningModel } from '../types.js';
import type { UpstreamEntry } from './upstream-entry.js';

export interface CoolDown {
  /** First cool-down after a failure, ms; doubles per consecutive failure. */
  baseMs: number;
  maxMs: number;
}

export async function checkUpstream(entry: UpstreamEntry, timeoutMs: number): Promise<boolean> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const version = await entry.provider.version({ signal });
    const [models, running] = await Promise.all([
      entry.provider.list({ signal }),
      entry.provider.running({ signal }),
    ]);
    markHealthy(entry, version, models, running);
    return true;
  } catch (error) {
    const timedOut = signal.aborted;
    markFailed(
      entry,
      timedOut
        ? new GatewayError('UPSTREAM_TIMEOUT', `Health check timed out after ${timeoutMs} ms`)
        : error,
    );
    return false;
  }
}

export function markHealthy(
  entry: UpstreamEntry,
  version: string,
  models: ModelInfo[],
  running: RunningModel[],
): void {
  entry.healthy = true;
  entry.failures = 0;
  entry.version = version;
  entry.lastError = undefined;
  entry.lastCheckedAt = new Date().toISOString();
  entry.models = new Map(models.map((m) => [canonicalModelName(m.name), m]));
  entry.loaded = new Map(running.map((m) => [canonicalModelName(m.name), m]));
}

export function markFailed(entry: UpstreamEntry, error: unknown): void {
  entry.healthy = false;
  entry.failures++;
  entry.lastError = toGatewayError(error).message;
  entry.lastCheckedAt = new Date().toISOString();
}

export function coolDownMs(entry: UpstreamEntry, coolDown: CoolDown): number {
  const exponent = Math.min(10, Math.max(0, entry.failures - 1));
  return Math.min(coolDown.maxMs, coolDown.baseMs * 2 ** exponent);
}
