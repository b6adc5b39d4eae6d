/**
 * The pool of upstreams (Ollama instances and the embedded engine alike, behind `Provider`):
 * background health checks, the model catalogue, routing with per-upstream concurrency limits,
 * and ejection of upstreams that fail by their own fault, probed back after a growing cool-down.
 * An upstream that is down keeps its models: requests for them are tried on it anyway when no
 * holder is up (panic routing) and answer UPSTREAM_UNAVAILABLE, never MODEL_NOT_FOUND.
 */
import { GatewayError } from '../errors.js';
import { canonicalModelName } from '../policy/model-names.js';
import type { Provider } from '../providers/provider.js';
import { buildCatalogue } from './catalogue.js';
import {
  type CoolDown,
  coolDownMs,
  markFailed,
  markHealthy,
  probeUpstream,
} from './health-check.js';
import { noRouteError, retryAfterSeconds } from './no-route.js';
import { createOutlierDetection } from './outlier-detection.js';
import { holdersOf, pickUpstream, routeFor } from './pick-upstream.js';
import type { CatalogueModel, UpstreamHealth } from './pool-report.js';
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
  /**
   * Consecutive requests failed by the upstream's own fault (timeouts, 503 queue-full) that
   * eject it (default 3). Unreachable is checked at once. Errors a request caused never count.
   */
  failureThreshold?: number;
  /** Most upstreams (percent; at least one) ejected by request failures at once (default 50). */
  maxEjectionPercent?: number;
}

export interface AcquireOptions {
  /** Upstream ids already tried for this request. */
  exclude?: ReadonlySet<string>;
  signal?: AbortSignal | undefined;
}

/** A slot on one upstream for one request. */
export interface UpstreamLease {
  readonly provider: Provider;
  /** Reports the outcome: the upstream's own failures get it ejected, a success brings it back. */
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
  /** Why no healthy upstream serves the model: UPSTREAM_UNAVAILABLE or MODEL_NOT_FOUND. */
  noRoute(model: string): GatewayError;
  /** Seconds until a down upstream (with the model) is checked again: UPSTREAM_UNAVAILABLE's Retry-After. */
  retryAfterSeconds(model?: string): number;
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
  const entries = options.upstreams.map((p) => new UpstreamEntry(p, gate));
  const checking = new Map<UpstreamEntry, Promise<void>>();
  let pickSeq = 0;
  let closed = false;
  let lastRefreshAt = 0;

  const schedule = (entry: UpstreamEntry, ms: number) => {
    if (entry.timer) clearTimeout(entry.timer);
    entry.nextCheckAt = Date.now() + ms;
    if (closed) return;
    entry.timer = setTimeout(() => void check(entry), ms);
    entry.timer.unref?.();
  };

  const check = (entry: UpstreamEntry): Promise<void> => {
    const running = checking.get(entry);
    if (running) return running;
    const ejections = entry.ejections;
    const run = probeUpstream(entry, healthTimeoutMs).then((verdict) => {
      checking.delete(entry);
      // Ejected while the check ran: the ejection stands, its cool-down is already scheduled.
      if (entry.ejections !== ejections) return;
      if (verdict.ok) markHealthy(entry, verdict.version, verdict.models, verdict.running);
      else markFailed(entry, verdict.error);
      schedule(entry, verdict.ok ? intervalMs : coolDownMs(entry, coolDown));
    });
    checking.set(entry, run);
    return run;
  };

  const outliers = createOutlierDetection(
    entries,
    {
      failureThreshold: options.failureThreshold ?? 3,
      maxEjectionPercent: options.maxEjectionPercent ?? 50,
    },
    {
      eject: (entry, error) => {
        markFailed(entry, error);
        entry.ejected = true;
        entry.ejections++;
        schedule(entry, coolDownMs(entry, coolDown));
      },
      check: (entry) => void check(entry),
      recover: (entry) => {
        entry.healthy = true;
        entry.ejected = false;
        entry.failures = 0;
        entry.lastError = undefined;
        void check(entry);
      },
    },
  );

  const refresh = async () => {
    lastRefreshAt = Date.now();
    await Promise.all(entries.map(check));
  };

  const initial = refresh();

  const lease = (entry: UpstreamEntry, release: () => void): UpstreamLease => ({
    provider: entry.provider,
    release,
    succeeded: () => outliers.succeeded(entry),
    failed: (error) => outliers.failed(entry, error),
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
        : (routeFor(entries, model, new Set())?.candidates.filter((e) => e.healthy) ?? [])
      ).map((e) => e.provider),
    noRoute: (model) => noRouteError(entries, model),
    retryAfterSeconds: (model) =>
      retryAfterSeconds(model === undefined ? entries : holdersOf(entries, model, new Set())),

    async acquire(model, acquireOptions = {}) {
      await initial;
      const exclude = acquireOptions.exclude ?? new Set<string>();
      let route = routeFor(entries, model, exclude);
      if (!route && exclude.size === 0 && Date.now() - lastRefreshAt > 1_000) {
        // The catalogue may be stale (a model pulled behind our back): look once more.
        await refresh();
        route = routeFor(entries, model, exclude);
      }
      if (!route) throw noRouteError(entries, model);
      const entry = pickUpstream(route.candidates, model);
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
