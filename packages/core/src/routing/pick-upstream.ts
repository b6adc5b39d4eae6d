/**
 * The routing rule. Candidates are the upstreams that have the model and are healthy; when none
 * of them is (every one down or cooling off), all of them are candidates anyway (panic routing,
 * as Envoy's panic threshold): a request is tried rather than failed untried. Among candidates,
 * prefer one with a free slot, then one that has the model loaded, then the fewest requests in
 * flight or waiting; ties go to the least recently picked, so equal upstreams take turns.
 */
import { canonicalModelName } from '../policy/model-names.js';
import type { UpstreamEntry } from './upstream-entry.js';

export interface Route {
  candidates: UpstreamEntry[];
  /** No holder is healthy: the candidates are down or cooling off, tried anyway. */
  panic: boolean;
}

/** Upstreams that have the model (up or down), not yet tried by this request. */
export function holdersOf(
  entries: readonly UpstreamEntry[],
  model: string,
  exclude: ReadonlySet<string>,
): UpstreamEntry[] {
  const key = canonicalModelName(model);
  return entries.filter((e) => !exclude.has(e.id) && e.models.has(key));
}

/** Who may serve the model; undefined when no upstream left has it. */
export function routeFor(
  entries: readonly UpstreamEntry[],
  model: string,
  exclude: ReadonlySet<string>,
): Route | undefined {
  const holders = holdersOf(entries, model, exclude);
  if (holders.length === 0) return undefined;
  const healthy = holders.filter((e) => e.healthy);
  return healthy.length > 0
    ? { candidates: healthy, panic: false }
    : { candidates: holders, panic: true };
}

function score(entry: UpstreamEntry, key: string): number[] {
  return [
    entry.gate.hasCapacity ? 0 : 1,
    entry.loaded.has(key) ? 0 : 1,
    entry.gate.inFlight + entry.gate.queued,
    entry.lastPicked,
  ];
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The best candidate whose queue is not full, or undefined when every queue is full. */
export function pickUpstream(
  candidates: readonly UpstreamEntry[],
  model: string,
): UpstreamEntry | undefined {
  const key = canonicalModelName(model);
  let best: UpstreamEntry | undefined;
  let bestScore: number[] | undefined;
  for (const entry of candidates) {
    if (!entry.gate.hasCapacity && entry.gate.queueFull) continue;
    const s = score(entry, key);
    if (!bestScore || compare(s, bestScore) < 0) {
      best = entry;
      bestScore = s;
    }
  }
  return best;
}
