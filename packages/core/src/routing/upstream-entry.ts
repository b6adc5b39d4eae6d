/**
 * What the pool knows about one upstream: health, catalogue, load, and the failures that decide
 * whether it is routed to. Down is not missing: an upstream that is down keeps the models it
 * last reported, so a request for one of them is answered "unavailable", never "not found".
 */
import type { Provider } from '../providers/provider.js';
import type { ModelInfo, RunningModel } from '../types.js';
import { ConcurrencyGate, type GateOptions } from './concurrency-gate.js';
import type { UpstreamHealth } from './pool-report.js';

export class UpstreamEntry {
  readonly gate: ConcurrencyGate;
  /** False until the first successful check, and while down or cooling off after failures. */
  healthy = false;
  /** True once it answered a health check: until then what it has is unknown. */
  catalogueKnown = false;
  /** Taken out of routing by request failures (outlier detection), until a check passes. */
  ejected = false;
  /** How many times it was ejected (a check that began before an ejection does not undo it). */
  ejections = 0;
  version: string | undefined;
  lastError: string | undefined;
  lastCheckedAt: string | undefined;
  /** Models by canonical name (`name:tag`), as last reported; kept while the upstream is down. */
  models = new Map<string, ModelInfo>();
  /** Loaded models by canonical name. */
  loaded = new Map<string, RunningModel>();
  /** Consecutive failed checks and ejections; drives the cool-down length. */
  failures = 0;
  /** Consecutive requests that failed by the upstream's own fault (timeouts, 503, resets). */
  requestFailures = 0;
  /** Date.now() when the next health check is due: while down, the end of its cool-down. */
  nextCheckAt = 0;
  /** Sequence number of the last time the router picked it (least recently picked wins ties). */
  lastPicked = 0;
  timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly provider: Provider,
    gateOptions: GateOptions,
  ) {
    this.gate = new ConcurrencyGate(gateOptions, provider.id);
  }

  get id(): string {
    return this.provider.id;
  }

  health(): UpstreamHealth {
    return {
      id: this.id,
      kind: this.provider.kind,
      healthy: this.healthy,
      inFlight: this.gate.inFlight,
      queued: this.gate.queued,
      ...(this.version === undefined ? {} : { version: this.version }),
      ...(this.lastError === undefined ? {} : { lastError: this.lastError }),
      ...(this.lastCheckedAt === undefined ? {} : { lastCheckedAt: this.lastCheckedAt }),
    };
  }
}
