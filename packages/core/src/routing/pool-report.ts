/** What the upstream pool reports: its model catalogue and the health of each upstream. */
import type { ModelInfo } from '../types.js';

/** A model in the catalogue: the union over healthy upstreams, with who has it. */
export interface CatalogueModel extends ModelInfo {
  /** Upstream ids that have this model. */
  upstreams: string[];
  /** Upstream ids that have it loaded right now. */
  loadedOn: string[];
}

export interface UpstreamHealth {
  /** The upstream's name (`ollama-1`, `gpu1`, `embedded`): what answers, usage and metrics show. */
  id: string;
  kind: 'ollama' | 'embedded';
  healthy: boolean;
  /** Where it runs (an Ollama base URL); admin views only (see `health-view.ts`). */
  url?: string;
  version?: string;
  inFlight: number;
  queued: number;
  lastError?: string;
  lastCheckedAt?: string;
}
