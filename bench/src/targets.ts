import type { RowResult } from './measure.js';
import { mb, type TargetCheck } from './report.js';
import type { SoakResult } from './soak.js';

export interface MemoryReadings {
  idleRss: number;
  peakRss: number;
  /** RSS once settled (see settle.ts), `afterMs` after the load. */
  afterRss: number;
  afterMs: number;
  afterGcRss: number;
  /** process.memoryUsage() of the gateway after the forced GC: what the RSS is made of. */
  afterGc: NodeJS.MemoryUsage;
}

const list = (rows: RowResult[], value: (r: RowResult) => number, digits = 3) =>
  rows.map((r) => `${r.scenario}@c${r.concurrency} ${value(r).toFixed(digits)}`).join(', ');

/** Every target of issue 8 item 2, checked against this run's rows. */
export function checkTargets(
  rows: RowResult[],
  memory: MemoryReadings,
  soak: SoakResult | undefined,
): TargetCheck[] {
  const tagged = (tag: 'cpu' | 'latency' | 'throughput' | 'ttft') =>
    rows.filter((r) => r.targets?.includes(tag));
  const cpu = tagged('cpu');
  const c1 = tagged('latency').filter((r) => r.concurrency === 1);
  const c64 = tagged('throughput').filter((r) => r.concurrency === 64);
  const ttft = tagged('ttft');
  const check = (
    target: string,
    rs: RowResult[],
    value: (r: RowResult) => number,
    ok: (v: number) => boolean,
    digits?: number,
  ): TargetCheck => ({
    target,
    measured: rs.length ? list(rs, value, digits) : 'not measured',
    met: rs.length ? rs.every((r) => ok(value(r))) : null,
  });
  const checks = [
    check(
      'gateway CPU ≤ 0.1 ms per non-stream request',
      cpu,
      (r) => r.gatewayCpuMsPerRequest,
      (v) => v <= 0.1,
    ),
    check(
      'added p50 ≤ 0.15 ms at c=1',
      c1,
      (r) => r.addedP50,
      (v) => v <= 0.15,
    ),
    check(
      'added p99 ≤ 1 ms at c=1',
      c1,
      (r) => r.addedP99,
      (v) => v <= 1,
    ),
    check(
      '≥ 10,000 non-stream req/s at c=64',
      c64,
      (r) => r.gateway.requestsPerSecond,
      (v) => v >= 10_000,
      0,
    ),
    check(
      'streaming added TTFT p50 ≤ 0.5 ms',
      ttft,
      (r) => r.addedTtftP50 ?? Number.NaN,
      (v) => v <= 0.5,
    ),
    {
      target: 'RSS ≤ 60 MB idle',
      measured: `${mb(memory.idleRss)} MB`,
      met: memory.idleRss <= 60 * 1024 * 1024,
    },
    {
      target: 'RSS ≤ 120 MB under load',
      measured: `${mb(memory.peakRss)} MB peak`,
      met: memory.peakRss <= 120 * 1024 * 1024,
    },
    {
      target: 'RSS back within 1.2× idle afterwards',
      measured: `${mb(memory.afterRss)} MB after ${Math.round(memory.afterMs / 1000)} s idle (${(memory.afterRss / memory.idleRss).toFixed(2)}× idle)`,
      met: memory.afterRss <= 1.2 * memory.idleRss,
    },
    soak
      ? {
          target: 'no growth over 100,000 requests',
          measured: `heap after GC ${mb(soak.heapAfterGcFirst)} → ${mb(soak.heapAfterGcLast)} MB, RSS ${mb(soak.rssBefore)} before / ${mb(soak.rssPeak)} peak / ${mb(soak.rssAfter)} after ${Math.round(soak.rssAfterMs / 1000)} s idle`,
          met: soak.heapAfterGcLast <= soak.heapAfterGcFirst * 1.1 + 2 * 1024 * 1024,
        }
      : { target: 'no growth over 100,000 requests', measured: 'run BENCH_LONG=1', met: null },
  ];
  return checks;
}
