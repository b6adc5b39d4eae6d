/** What the pool knows about one upstream: health, catalogue, load. */
import type { Provider } from '../providers/provider.js';
import type { UpstreamHealth } from '../service/gateway-service.js';
import type { ModelInfo, RunningModel } from '../types.js';
import { ConcurrencyGate, type GateOptions } from './concurrency-gate.js';

export class UpstreamEntry {
  readonly gate: ConcurrencyGate;
  /** False until the first successful check, and while cooling down after failures. */
  healthy = false;
  version: string | undefined;
  lastError: string | undefined;
  lastCheckedAt: string | undefined;
  /** Models by canonical name (`name:tag`). */
  models = new Map<string, ModelInfo>();
  /** Loaded models by canonical name. */
  loaded = new Map<string, RunningModel>();
  /** Consecutive failures; drives the cool-down length. */
  failures = 0;
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
