import { join } from 'node:path';
import { runClosedLoop } from './load.js';
import type { Mode } from './modes.js';
import { cpuMsBetween, type MeasuredChild } from './processes/child.js';
import type { Scenario, Targets } from './scenarios/types.js';
import { concatSamples, type LatencySummary, summarize } from './stats.js';

export interface SideResult {
  completed: number;
  errors: number;
  firstError?: string;
  requestsPerSecond: number;
  latency: LatencySummary;
  ttft?: LatencySummary;
}

export interface RowResult {
  scenario: string;
  title: string;
  kind: Scenario['kind'];
  concurrency: number;
  direct: SideResult;
  gateway: SideResult;
  /** The same requests through the floor proxy, when the row has one. */
  floor?: SideResult & {
    /** Floor proxy CPU per completed request, ms. */
    cpuMsPerRequest: number;
    /** Floor minus direct, same run, ms. */
    addedP50: number;
  };
  /** Gateway minus direct, same run, ms. */
  addedP50: number;
  addedP99: number;
  addedTtftP50?: number;
  addedTtftP99?: number;
  /** Gateway process CPU (user + system) per completed gateway request, ms. */
  gatewayCpuMsPerRequest: number;
  /** Fake Ollama CPU per request on each side, ms: a check that the upstream did the same work. */
  fakeCpuMsPerRequest: { direct: number; gateway: number };
  /** Highest sampled gateway RSS during the gateway rounds, bytes. */
  gatewayPeakRss: number;
}

interface Collected {
  latencies: Float64Array[];
  ttfts: Float64Array[];
  completed: number;
  errors: number;
  firstError?: string;
  elapsedMs: number;
  gatewayCpuMs: number;
  fakeCpuMs: number;
  peakRss: number;
}

const empty = (): Collected => ({
  latencies: [],
  ttfts: [],
  completed: 0,
  errors: 0,
  elapsedMs: 0,
  gatewayCpuMs: 0,
  fakeCpuMs: 0,
  peakRss: 0,
});

export interface Processes {
  gateway: MeasuredChild;
  fake: MeasuredChild;
  floor: MeasuredChild;
}

type Side = 'direct' | 'gateway' | 'floor';

/**
 * Runs one scenario at one concurrency: a warm-up of both sides, then `mode.reps` alternating
 * rounds (D G, G D, …) so drift (other load on the machine, JIT, GC) hits both sides alike.
 */
export async function measureRow(
  scenario: Scenario,
  concurrency: number,
  targets: Targets,
  processes: Processes,
  mode: Mode,
  /** When set, the gateway rounds are CPU-profiled into this directory (numbers then inflate). */
  profileDir?: string,
): Promise<RowResult> {
  const floorOp = scenario.floor?.(targets);
  const sides: Partial<Record<Side, ReturnType<Scenario['direct']>>> = {
    direct: scenario.direct(targets),
    gateway: scenario.gateway(targets),
    ...(floorOp ? { floor: floorOp } : {}),
  };
  const used = (Object.keys(sides) as Side[]).sort(
    (a, b) => ['direct', 'floor', 'gateway'].indexOf(a) - ['direct', 'floor', 'gateway'].indexOf(b),
  );
  const requests = mode.requestsAt(concurrency, scenario.kind);
  const warmup = Math.min(mode.warmupRequests, requests);
  for (const side of used) {
    const op = sides[side]!;
    await runClosedLoop({ concurrency, requests: warmup, maxDurationMs: mode.maxRoundMs / 2, op });
  }
  const collected = { direct: empty(), gateway: empty(), floor: empty() };
  for (let rep = 0; rep < mode.reps; rep++) {
    const order = rep % 2 === 0 ? used : [...used].reverse();
    for (const side of order) {
      const into = collected[side];
      const measured = side === 'floor' ? processes.floor : processes.gateway;
      const [gwBefore, fakeBefore] = await Promise.all([measured.probe(), processes.fake.probe()]);
      processes.gateway.rss.reset();
      const profiling = side === 'gateway' && profileDir !== undefined;
      if (profiling) await processes.gateway.startProfile();
      const result = await runClosedLoop({
        concurrency,
        requests,
        maxDurationMs: mode.maxRoundMs,
        op: sides[side]!,
      });
      const [gwAfter, fakeAfter] = await Promise.all([measured.probe(), processes.fake.probe()]);
      if (profiling) {
        await processes.gateway.stopProfile(
          join(profileDir, `gateway-${scenario.id}-c${concurrency}-rep${rep}.cpuprofile`),
        );
      }
      into.latencies.push(result.latencies);
      into.ttfts.push(result.ttfts);
      into.completed += result.completed;
      into.errors += result.errors;
      into.firstError ??= result.firstError;
      into.elapsedMs += result.elapsedMs;
      into.gatewayCpuMs += cpuMsBetween(gwBefore, gwAfter);
      into.fakeCpuMs += cpuMsBetween(fakeBefore, fakeAfter);
      if (side === 'gateway') into.peakRss = Math.max(into.peakRss, processes.gateway.rss.peak());
    }
  }
  const direct = sideResult(collected.direct, scenario.kind);
  const gateway = sideResult(collected.gateway, scenario.kind);
  const row: RowResult = {
    scenario: scenario.id,
    title: scenario.title,
    kind: scenario.kind,
    concurrency,
    direct,
    gateway,
    addedP50: gateway.latency.p50 - direct.latency.p50,
    addedP99: gateway.latency.p99 - direct.latency.p99,
    gatewayCpuMsPerRequest:
      collected.gateway.gatewayCpuMs / Math.max(1, collected.gateway.completed),
    fakeCpuMsPerRequest: {
      direct: collected.direct.fakeCpuMs / Math.max(1, collected.direct.completed),
      gateway: collected.gateway.fakeCpuMs / Math.max(1, collected.gateway.completed),
    },
    gatewayPeakRss: collected.gateway.peakRss,
  };
  if (floorOp) {
    const floor = sideResult(collected.floor, scenario.kind);
    row.floor = {
      ...floor,
      cpuMsPerRequest: collected.floor.gatewayCpuMs / Math.max(1, collected.floor.completed),
      addedP50: floor.latency.p50 - direct.latency.p50,
    };
  }
  if (direct.ttft && gateway.ttft) {
    row.addedTtftP50 = gateway.ttft.p50 - direct.ttft.p50;
    row.addedTtftP99 = gateway.ttft.p99 - direct.ttft.p99;
  }
  return row;
}

function sideResult(c: Collected, kind: Scenario['kind']): SideResult {
  return {
    completed: c.completed,
    errors: c.errors,
    ...(c.firstError === undefined ? {} : { firstError: c.firstError }),
    requestsPerSecond: c.elapsedMs > 0 ? (c.completed / c.elapsedMs) * 1000 : 0,
    latency: summarize(concatSamples(c.latencies)),
    ...(kind === 'stream' ? { ttft: summarize(concatSamples(c.ttfts)) } : {}),
  };
}
