import type { ManyStreamsRow } from './many-streams.js';
import type { RowResult } from './measure.js';

const ms = (v: number | undefined) =>
  v === undefined || Number.isNaN(v) ? 'n/a' : v < 10 ? v.toFixed(3) : v.toFixed(1);
const signed = (v: number | undefined) =>
  v === undefined || Number.isNaN(v) ? 'n/a' : `${v >= 0 ? '+' : ''}${ms(v)}`;
const rps = (v: number) => (v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(1));
export const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

/** The main table: one line per scenario and concurrency, direct vs gateway in the same run. */
export function resultsTable(rows: RowResult[]): string {
  const header =
    '| scenario | c | direct req/s | floor / gateway req/s | direct p50 / p99 ms | gateway p50 / p99 ms | added p50 / p99 ms (floor +p50) | TTFT direct / gateway p50 ms | added TTFT p50 / p99 ms | CPU ms/req floor / gateway | gateway peak RSS MB | errors d/g |';
  const lines = [header, `|${'---|'.repeat(12)}`];
  for (const r of rows) {
    const stream = r.kind === 'stream';
    const f = r.floor;
    lines.push(
      `| ${r.scenario} | ${r.concurrency} | ${rps(r.direct.requestsPerSecond)} | ${f ? rps(f.requestsPerSecond) : '–'} / ${rps(r.gateway.requestsPerSecond)} | ` +
        `${ms(r.direct.latency.p50)} / ${ms(r.direct.latency.p99)} | ${ms(r.gateway.latency.p50)} / ${ms(r.gateway.latency.p99)} | ` +
        `${signed(r.addedP50)} / ${signed(r.addedP99)}${f ? ` (${signed(f.addedP50)})` : ''} | ` +
        `${stream ? `${ms(r.direct.ttft?.p50)} / ${ms(r.gateway.ttft?.p50)}` : '–'} | ` +
        `${stream ? `${signed(r.addedTtftP50)} / ${signed(r.addedTtftP99)}` : '–'} | ` +
        `${f ? f.cpuMsPerRequest.toFixed(3) : '–'} / ${r.gatewayCpuMsPerRequest.toFixed(3)} | ${mb(r.gatewayPeakRss)} | ${r.direct.errors} / ${r.gateway.errors} |`,
    );
  }
  return lines.join('\n');
}

/** N streams at once through each door, against the same N straight at the fake. */
export function manyStreamsTable(rows: ManyStreamsRow[]): string {
  const lines = [
    '| door | streams | direct ms | through ms | ratio | RSS per open stream KB | errors |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.door} | ${r.streams} | ${Math.round(r.directMs)} | ${Math.round(r.gatewayMs)} | ${r.ratio.toFixed(2)}× | ${(r.rssPerStream / 1024).toFixed(1)} | ${r.errors} |`,
    );
  }
  return lines.join('\n');
}

export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean | null;
}

export function targetsTable(checks: TargetCheck[]): string {
  const lines = ['| target (issue 12) | measured | met |', '|---|---|---|'];
  for (const c of checks) {
    lines.push(
      `| ${c.target} | ${c.measured} | ${c.met === null ? 'n/a' : c.met ? 'yes' : '**no**'} |`,
    );
  }
  return lines.join('\n');
}
