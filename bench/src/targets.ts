import type { ManyStreamsRow } from './many-streams.js';
import type { RowResult } from './measure.js';
import { mb, type TargetCheck } from './report.js';
import type { SoakResult } from './soak.js';

export interface MemoryReadings {
  /** The quick start (embedded engine, demo model, SQLite), idle 1 s after it answers. */
  quickStartIdleRss?: number;
  /** The bench's gateway (in front of the fake), idle before any request. */
  idleRss: number;
  peakRss: number;
  /** RSS once settled (see settle.ts), `afterMs` after the load. */
  afterRss: number;
  afterMs: number;
  afterGcRss: number;
  /** process.memoryUsage() of the gateway after the forced GC: what the RSS is made of. */
  afterGc: NodeJS.MemoryUsage;
}

const fmt = (v: number, digits = 2) => (Number.isFinite(v) ? v.toFixed(digits) : 'n/a');

/**
 * The targets of issue 12 ("the typed door costs what the plain door costs"), as ratios between
 * rows of this same run: every side of a ratio was measured minutes apart on the same machine,
 * so the ratio holds where absolute numbers drift.
 */
export function checkTargets(
  rows: RowResult[],
  memory: MemoryReadings,
  manyStreams: ManyStreamsRow[],
  soak: SoakResult | undefined,
): TargetCheck[] {
  const row = (id: string, c: number) => rows.find((r) => r.scenario === id && r.concurrency === c);
  const checks: TargetCheck[] = [];
  /** A ratio of two rows' values; n/a when either row was not measured (BENCH_ONLY, smoke). */
  const ratio = (
    target: string,
    a: RowResult | undefined,
    b: RowResult | undefined,
    value: (r: RowResult) => number,
    ok: (v: number) => boolean,
    what: string,
  ) => {
    if (!a || !b) return checks.push({ target, measured: 'not measured', met: null });
    const v = value(a) / value(b);
    checks.push({
      target,
      measured: `${fmt(v)}× (${fmt(value(a), 3)} vs ${fmt(value(b), 3)} ${what})`,
      met: ok(v),
    });
  };
  const single = (
    target: string,
    r: RowResult | undefined,
    value: (r: RowResult) => number | undefined,
    ok: (v: number) => boolean,
    unit: string,
  ) => {
    const v = r ? value(r) : undefined;
    if (v === undefined) return checks.push({ target, measured: 'not measured', met: null });
    checks.push({ target, measured: `${v >= 0 ? '+' : ''}${fmt(v, 3)} ${unit}`, met: ok(v) });
  };
  const rps = (r: RowResult) => r.gateway.requestsPerSecond;
  const cpu = (r: RowResult) => r.gatewayCpuMsPerRequest;

  ratio(
    'tRPC chat.completion ≥ 0.8× the req/s of /v1 at c=64',
    row('chat-trpc', 64),
    row('chat-v1', 64),
    rps,
    (v) => v >= 0.8,
    'req/s',
  );
  ratio(
    'tRPC chat.completion CPU/request ≤ 1.25× /v1 (c=64)',
    row('chat-trpc', 64),
    row('chat-v1', 64),
    cpu,
    (v) => v <= 1.25,
    'ms',
  );
  ratio(
    'chat.embedBatch (32 × 768) ≥ 0.8× the req/s of /v1/embeddings (c=16)',
    row('embed32-trpc', 16),
    row('embed32-v1', 16),
    rps,
    (v) => v >= 0.8,
    'req/s',
  );
  ratio(
    'a streamed chat over the SDK ≤ 1.5× the CPU of the same stream on /api (c=16)',
    row('stream-trpc-sdk', 16),
    row('stream-api', 16),
    cpu,
    (v) => v <= 1.5,
    'ms/stream',
  );
  single(
    'SDK stream added TTFT ≤ +1 ms at c=1',
    row('stream-trpc-sdk', 1),
    (r) => r.addedTtftP50,
    (v) => v <= 1,
    'ms',
  );
  single(
    'SDK added p50 over the ollama client straight at the upstream ≤ +0.5 ms at c=1',
    row('chat-trpc-sdk', 1),
    (r) => r.addedP50,
    (v) => v <= 0.5,
    'ms',
  );
  for (const id of ['chat-api', 'chat-v1']) {
    single(
      `${id}: added p50 ≤ +0.3 ms at c=1`,
      row(id, 1),
      (r) => r.addedP50,
      (v) => v <= 0.3,
      'ms',
    );
  }
  for (const id of ['chat-api', 'chat-v1']) {
    for (const c of [1, 64]) {
      const r = row(id, c);
      const floor = r?.floor;
      if (!r || !floor) {
        checks.push({
          target: `${id} c=${c}: CPU/request ≤ 1.5× the floor proxy's`,
          measured: 'not measured',
          met: null,
        });
        continue;
      }
      const v = r.gatewayCpuMsPerRequest / floor.cpuMsPerRequest;
      checks.push({
        target: `${id} c=${c}: CPU/request ≤ 1.5× the floor proxy's`,
        measured: `${fmt(v)}× (${fmt(r.gatewayCpuMsPerRequest, 3)} vs ${fmt(floor.cpuMsPerRequest, 3)} ms)`,
        met: v <= 1.5,
      });
    }
  }
  checks.push(
    memory.quickStartIdleRss === undefined
      ? { target: 'quick start idle RSS ≤ 70 MB', measured: 'not measured', met: null }
      : {
          target: 'quick start idle RSS ≤ 70 MB',
          measured: `${mb(memory.quickStartIdleRss)} MB`,
          met: memory.quickStartIdleRss <= 70 * 1024 * 1024,
        },
    {
      target: 'peak RSS under the c=64 rows ≤ 150 MB',
      measured: `${mb(memory.peakRss)} MB (idle in front of the fake: ${mb(memory.idleRss)} MB)`,
      met: memory.peakRss <= 150 * 1024 * 1024,
    },
  );
  const most = Math.max(0, ...manyStreams.map((r) => r.streams));
  const atMost = manyStreams.filter((r) => r.streams === most && !r.reference);
  const floor = manyStreams.find((r) => r.streams === most && r.reference);
  /** The floor proxy's figure beside the doors': what a bare Node.js proxy reaches at this N. */
  const withFloor = (text: string, figure: (r: ManyStreamsRow) => string) =>
    floor ? `${text} (floor proxy: ${figure(floor)})` : text;
  const timeRatio = (r: ManyStreamsRow) => `${fmt(r.ratio)}×`;
  const kb = (r: ManyStreamsRow) => `${(r.rssPerStream / 1024).toFixed(1)} KB`;
  checks.push(
    atMost.length === 0
      ? {
          target: 'many streams: ≤ 1.2× the direct time on every door',
          measured: 'not measured',
          met: null,
        }
      : {
          target: `many streams (N=${most}): ≤ 1.2× the direct time on every door`,
          measured: withFloor(atMost.map((r) => `${r.door} ${timeRatio(r)}`).join(', '), timeRatio),
          met: atMost.every((r) => r.ratio <= 1.2 && r.errors === 0),
        },
    atMost.length === 0
      ? { target: 'many streams: ≤ 30 KB RSS per open stream', measured: 'not measured', met: null }
      : {
          target: `many streams (N=${most}): ≤ 30 KB RSS per open stream`,
          measured: withFloor(atMost.map((r) => `${r.door} ${kb(r)}`).join(', '), kb),
          met: atMost.every((r) => r.rssPerStream <= 30 * 1024),
        },
  );
  if (soak) {
    checks.push({
      target: 'no growth over 100,000 requests',
      measured: `heap after GC ${mb(soak.heapAfterGcFirst)} → ${mb(soak.heapAfterGcLast)} MB, RSS ${mb(soak.rssBefore)} before / ${mb(soak.rssPeak)} peak / ${mb(soak.rssAfter)} after ${Math.round(soak.rssAfterMs / 1000)} s idle`,
      met: soak.heapAfterGcLast <= soak.heapAfterGcFirst * 1.1 + 2 * 1024 * 1024,
    });
  }
  return checks;
}
