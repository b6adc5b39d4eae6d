/**
 * One health check of an upstream: its version (is it alive), then what it has (`/api/tags`)
 * and what it has loaded (`/api/ps`). The pool applies the verdict: a failure marks it unhealthy
 * and lengthens its cool-down; the models it reported last are kept (down is not missing).
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

export type Verdict =
  | { ok: true; version: string; models: ModelInfo[]; running: RunningModel[] }
  | { ok: false; error: GatewayError };

export async function probeUpstream(entry: UpstreamEntry, timeoutMs: number): Promise<Verdict> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const version = await entry.provider.version({ signal });
    const [models, running] = await Promise.all([
      entry.provider.list({ signal }),
      entry.provider.running({ signal }),
    ]);
    return { ok: true, version, models, running };
  } catch (error) {
    return {
      ok: false,
      error: signal.aborted
        ? new GatewayError('UPSTREAM_TIMEOUT', `Health check timed out after ${timeoutMs} ms`)
        : toGatewayError(error),
    };
  }
}

export function markHealthy(
  entry: UpstreamEntry,
  version: string,
  models: ModelInfo[],
  running: RunningModel[],
): void {
  // Back from down or ejected: its request failures start afresh.
  if (!entry.healthy) entry.requestFailures = 0;
  entry.healthy = true;
  entry.catalogueKnown = true;
  entry.ejected = false;
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
