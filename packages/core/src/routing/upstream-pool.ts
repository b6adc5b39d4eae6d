/**
 * The pool of upstreams (Ollama instances and the embedded engine alike, behind `Provider`):
 * background health checks, the model catalogue, routing with per-upstream concurrency limits,
 * and ejection of failing upstreams that are probed back after a growing cool-down.
 */
import { GatewayError, toGatewayError } from '../errors.js';
import { canonicalModelName } from '../policy/model-names.js';
import type { Provider } from '../providers/provider.js';
import type { CatalogueModel, UpstreamHealth } from '../service/gateway-service.js';
import { buildCatalogue } from './catalogue.js';
import { type CoolDown, checkUpstream, coolDownMs, markFailed } from './health-check.js';
import { candidatesFor, pickUpstream } from './pick-upstream.js';
import { UpstreamEntry } from './upstream-entry.js';

export interface UpstreamPoolOptions {
  upstreams: Provider[];
  /** Requests in flight per upstream (default 8). */
  maxConcurrentPerUpstream?: number;
  /** Requests waiting per upstream beyond that (default 64); more → OVERLOADED. */
  maxQueuePerUpstream?: number;
  /** Longest wait for a slot, ms (default 30 000) → OVERLOADED. */
  queueTimeoutMs?: number;
  /** Health check period of a healthy upstream, ms (default 10 000). */
  healthIntervalMs?: number;
  /** Timeout of one health check, ms (default 3 000). */
  healthTimeoutMs?: number;
  /** First cool-down of an ejected upstream before it is probed again, ms (default 1 000, doubling). */
  coolDownMs?: number;
  maxCoolDownMs?: number;
  /** Consecutive failed requests (timeouts, 5xx) that eject an upstream (default 3). Unreachable ejects at once. */
  failureThreshold?: number;
}

export interface AcquireOptions {
  /** Upstream ids already tried for this request. */
  exclude?: ReadonlySet<string>;
  signal?: AbortSignal | undefined;
}

/** A slot on one upstream for one request. */
export interface UpstreamLease {
  readonly provider: Provider;
  /** Reports the outcome so failing upstreams get ejected. */
  succeeded(): void;
  failed(error: unknown): void;
  /** Frees the slot; idempotent. */
  release(): void;
}

export interface UpstreamPool {
  /** Resolves once every upstream has been checked once. */
  ready(): Promise<void>;
  /** Picks an upstream for the model and waits for a slot on it. */
  acquire(model: string, options?: AcquireOptions): Promise<UpstreamLease>;
  /** Union of what healthy upstreams have, with who has what and where it is loaded. */
  catalogue(): CatalogueModel[];
  /** The model's digest as the catalogue lists it (no catalogue built: per-request path). */
  digestOf(model: string): string | undefined;
  /** Checks every upstream now (health, models, loaded models). */
  refresh(): Promise<void>;
  health(): UpstreamHealth[];
  /** Healthy upstreams, optionally only those that have the model. */
  healthy(model?: string): Provider[];
  close(): Promise<void>;
}

export function createUpstreamPool(options: UpstreamPoolOptions): UpstreamPool {
  const gate = {
    maxConcurrent: options.maxConcurrentPerUpstream ?? 8,
    maxQueue: options.maxQueuePerUpstream ?? 64,
    queueTimeoutMs: options.queueTimeoutMs ?? 30_000,
  };
  const intervalMs = options.healthIntervalMs ?? 10_000;
  const healthTimeoutMs = options.healthTimeoutMs ?? 3_000;
  const coolDown: CoolDown = {
    baseMs: options.coolDownMs ?? 1_000,
    maxMs: options.maxCoolDownMs ?? 30_000,
  };
  const failureThreshold = options.failureThreshold ?? 3;
  const entries = options.upstreams.map((p) => new UpstreamEntry(p, gate));
  const checking = new Map<UpstreamEntry, Promise<void>>();
  const requestFailures = new Map<UpstreamEntry, number>();
  let pickSeq = 0;
  let closed = false;
  let lastRefreshAt = 0;

  const schedule = (entry: UpstreamEntry, ms: number) => {
    if (entry.timer) clearTimeout(entry.timer);
    if (closed) return;
    entry.timer = setTimeout(() => void check(entry), ms);
    entry.timer.unref?.();
  };

  const check = (entry: UpstreamEntry): Promise<void> => {
    const running = checking.get(entry);
    if (running) return running;
    const run = checkUpstream(entry, healthTimeoutMs).then((ok) => {
      checking.delete(entry);
      if (ok) requestFailures.delete(entry);
      schedule(entry, ok ? intervalMs : coolDownMs(entry, coolDown));
    });
    checking.set(entry, run);
    return run;
  };

  const eject = (entry: UpstreamEntry, error: unknown) => {
    if (!entry.healthy) return;
    markFailed(entry, error);
    schedule(entry, coolDownMs(entry, coolDown));
  };

  const refresh = async () => {
    lastRefreshAt = Date.now();
    await Promise.all(entries.map(check));
  };

  const initial = refresh();

  const lease = (entry: UpstreamEntry, release: () => void): UpstreamLease => ({
    provider: entry.provider,
    release,
    succeeded: () => requestFailures.delete(entry),
    failed: (error) => {
      const code = toGatewayError(error).code;
      if (code === 'UPSTREAM_UNAVAILABLE') return eject(entry, error);
      if (code !== 'UPSTREAM_TIMEOUT' && code !== 'UPSTREAM_ERROR') return;
      const count = (requestFailures.get(entry) ?? 0) + 1;
      requestFailures.set(entry, count);
      if (count >= failureThreshold) eject(entry, error);
    },
  });

  return {
    ready: () => initial,
    refresh,
    catalogue: () => buildCatalogue(entries),
    digestOf: (model) => {
      const key = canonicalModelName(model);
      for (const entry of entries) {
        if (entry.healthy && entry.models.has(key)) return entry.models.get(key)?.digest;
      }
      return undefined;
    },
    health: () => entries.map((e) => e.health()),
    healthy: (model) =>
      (model === undefined
        ? entries.filter((e) => e.healthy)
        : candidatesFor(entries, model, new Set())
      ).map((e) => e.provider),

    async acquire(model, acquireOptions = {}) {
      await initial;
      const exclude = acquireOptions.exclude ?? new Set<string>();
      let candidates = candidatesFor(entries, model, exclude);
      if (candidates.length === 0 && exclude.size === 0 && Date.now() - lastRefreshAt > 1_000) {
        // The catalogue may be stale (a model pulled behind our back): look once more.
        await refresh();
        candidates = candidatesFor(entries, model, exclude);
      }
      if (candidates.length === 0) {
        if (!entries.some((e) => e.healthy && !exclude.has(e.id))) {
          throw new GatewayError('UPSTREAM_UNAVAILABLE', 'No upstream is available');
        }
        throw new GatewayError('MODEL_NOT_FOUND', `Model '${model}' not found on any upstream`, {
          details: { model },
        });
      }
      const entry = pickUpstream(candidates, model);
      if (!entry) {
        throw new GatewayError('OVERLOADED', 'Every upstream with this model is at capacity', {
          retryAfterSeconds: Math.max(1, Math.ceil(gate.queueTimeoutMs / 4000)),
        });
      }
      entry.lastPicked = ++pickSeq;
      const release = await entry.gate.acquire(acquireOptions.signal);
      return lease(entry, release);
    },

    async close() {
      closed = true;
      for (const entry of entries) if (entry.timer) clearTimeout(entry.timer);
      await Promise.allSettled([...checking.values()]);
      await Promise.allSettled(entries.map((e) => e.provider.close()));
    },
  };
}
