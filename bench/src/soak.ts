import { runClosedLoop } from './load.js';
import type { MeasuredChild } from './processes/child.js';
import type { Scenario, Targets } from './scenarios/types.js';
import { settleRss } from './settle.js';
import { summarize } from './stats.js';

export interface SoakCheckpoint {
  requests: number;
  rss: number;
  heapUsed: number;
  requestsPerSecond: number;
  p99: number;
}

export interface SoakResult {
  scenario: string;
  concurrency: number;
  requests: number;
  errors: number;
  rssBefore: number;
  rssPeak: number;
  rssAfter: number;
  rssAfterMs: number;
  /** Heap after a forced GC once the first slice was done, and at the end. */
  heapAfterGcFirst: number;
  heapAfterGcLast: number;
  checkpoints: SoakCheckpoint[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The memory soak: `total` gateway requests in ten slices, RSS and heap read between slices.
 * Growth shows as a rising heap-after-GC between the first slice and the last.
 */
export async function runSoak(
  scenario: Scenario,
  concurrency: number,
  total: number,
  targets: Targets,
  gateway: MeasuredChild,
  log: (line: string) => void,
): Promise<SoakResult> {
  const op = scenario.gateway(targets);
  const slice = Math.ceil(total / 10);
  await sleep(1000);
  const rssBefore = gateway.rss.sample();
  gateway.rss.reset();
  const checkpoints: SoakCheckpoint[] = [];
  let done = 0;
  let errors = 0;
  let heapAfterGcFirst = 0;
  while (done < total) {
    const result = await runClosedLoop({
      concurrency,
      requests: Math.min(slice, total - done),
      maxDurationMs: 600_000,
      op,
    });
    done += result.completed + result.errors;
    errors += result.errors;
    const probe = await gateway.probe();
    const checkpoint = {
      requests: done,
      rss: probe.memory.rss,
      heapUsed: probe.memory.heapUsed,
      requestsPerSecond: (result.completed / result.elapsedMs) * 1000,
      p99: summarize(result.latencies).p99,
    };
    checkpoints.push(checkpoint);
    log(
      `  soak ${done}/${total}: rss ${(checkpoint.rss / 2 ** 20).toFixed(1)} MB, heap ${(checkpoint.heapUsed / 2 ** 20).toFixed(1)} MB, ${Math.round(checkpoint.requestsPerSecond)} req/s, p99 ${checkpoint.p99.toFixed(2)} ms`,
    );
    if (checkpoints.length === 1)
      heapAfterGcFirst = (await gateway.probe({ gc: true })).memory.heapUsed;
    if (result.errors && result.completed === 0) break;
  }
  const rssPeak = gateway.rss.peak();
  const settled = await settleRss(gateway, rssBefore, 40_000);
  const heapAfterGcLast = (await gateway.probe({ gc: true })).memory.heapUsed;
  return {
    scenario: scenario.id,
    concurrency,
    requests: done,
    errors,
    rssBefore,
    rssPeak,
    rssAfter: settled.rss,
    rssAfterMs: settled.afterMs,
    heapAfterGcFirst,
    heapAfterGcLast,
    checkpoints,
  };
}
