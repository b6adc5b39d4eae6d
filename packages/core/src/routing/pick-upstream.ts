/**
 * The routing rule: among healthy upstreams that have the model, prefer one with a free slot,
 * then one that has the model loaded, then the fewest requests in flight or waiting; ties go
 * to the least recently picked, so equal upstreams take turns and the first is never favoured.
 */
import { canonicalModelName } from '../policy/model-names.js';
import type { UpstreamEntry } from './upstream-entry.js';

export function candidatesFor(
  entries: readonly UpstreamEntry[],
  model: string,
  exclude: ReadonlySet<string>,
): UpstreamEntry[] {
  const key = canonicalModelName(model);
  return entries.filter((e) => e.healthy && !exclude.has(e.id) && e.models.has(key));
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
