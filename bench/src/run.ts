/**
 * `pnpm bench`: the fake Ollama and the gateway each in their own process, the load generator
 * here; every scenario measured directly against the fake and through the gateway, alternating,
 * in the same run. Prints markdown tables and writes bench/results/<ISO date>.json.
 * BENCH_SMOKE=1: a few hundred requests, exit code says whether every path worked.
 * BENCH_LONG=1: adds the 100,000-request memory soak.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHttpClient, type HttpClient } from './http-client.js';
import { runManyStreams } from './many-streams.js';
import { measureRow, type RowResult } from './measure.js';
import { modeFromEnv } from './modes.js';
import { startFakeProcess } from './processes/fake.js';
import { startFloorProcess } from './processes/floor.js';
import { startGatewayProcess, startQuickStartProcess } from './processes/gateway.js';
import { manyStreamsTable, mb, resultsTable, targetsTable } from './report.js';
import { rawHttpScenarios } from './scenarios/raw-http.js';
import type { Scenario } from './scenarios/types.js';
import { settleRss } from './settle.js';
import { runSoak, type SoakResult } from './soak.js';
import { checkTargets } from './targets.js';

const log = (line: string) => process.stderr.write(`${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * All scenarios, or those named in BENCH_ONLY (comma list of ids, e.g. `chat-api,stream-api`).
 * The SDK scenarios are loaded only when wanted (all their ids contain `sdk`).
 */
async function selectScenarios(http: HttpClient): Promise<Scenario[]> {
  const only = (process.env.BENCH_ONLY ?? '').split(',').filter(Boolean);
  const wantSdk = only.length === 0 || only.some((id) => id.includes('sdk'));
  const all = [
    ...rawHttpScenarios(http),
    ...(wantSdk ? (await import('./scenarios/sdk.js')).sdkScenarios() : []),
  ];
  return only.length ? all.filter((s) => only.includes(s.id)) : all;
}

/** `results/<ISO date>[-long][-<custom gateway entry>].json` */
function writeResults(started: Date, mode: string, data: object): string {
  const dir = fileURLToPath(new URL('../results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  const stamp = started.toISOString().replace(/:/g, '-');
  const custom = process.env.BENCH_GATEWAY_ENTRY;
  const suffix = `${mode === 'short' ? '' : `-${mode}`}${custom ? `-${basename(custom).replace(/\.[^.]+$/, '')}` : ''}`;
  const file = `${dir}${stamp}${suffix}.json`;
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  return file;
}

/** The quick start's idle RSS, 1 s after it answers (before the other processes start). */
async function quickStartIdleRss(): Promise<number | undefined> {
  if (process.env.BENCH_GATEWAY_ENTRY) return undefined;
  const quick = await startQuickStartProcess();
  try {
    await sleep(1000);
    return quick.process.rss.sample();
  } finally {
    await quick.stop();
  }
}

async function main(): Promise<number> {
  const mode = modeFromEnv();
  const started = new Date();
  log(`bench (${mode.name}) on ${cpus().length} cores, node ${process.version}`);
  const quickStartIdle = await quickStartIdleRss();
  if (quickStartIdle !== undefined) log(`quick start idle RSS ${mb(quickStartIdle)} MB`);
  const fake = await startFakeProcess();
  const [gateway, floor] = await Promise.all([
    startGatewayProcess(fake.url),
    startFloorProcess(fake.url),
  ]).catch(async (error: unknown) => {
    await fake.process.stop();
    throw error;
  });
  log(
    `fake ${fake.url} (pid ${fake.process.pid}), floor ${floor.url}, gateway ${gateway.url} (pid ${gateway.process.pid}, ${gateway.entry})`,
  );
  const http = createHttpClient();
  const targets = { fakeUrl: fake.url, gatewayUrl: gateway.url, floorUrl: floor.url };
  const processes = { gateway: gateway.process, fake: fake.process, floor: floor.process };
  /** A row with its own gateway env (e.g. the cache on) runs against a gateway of its own. */
  const measure = async (scenario: Scenario, concurrency: number) => {
    if (!scenario.gatewayEnv) {
      const skip = await scenario.unavailable?.(targets);
      if (skip) return skip;
      return measureRow(scenario, concurrency, targets, processes, mode, profileDir);
    }
    const env = scenario.gatewayEnv;
    const own = await startGatewayProcess(
      fake.url,
      typeof env === 'function' ? env(fake.url) : env,
    );
    try {
      const ownTargets = { ...targets, gatewayUrl: own.url };
      const skip = await scenario.unavailable?.(ownTargets);
      if (skip) return skip;
      const ownProcesses = { ...processes, gateway: own.process };
      return await measureRow(scenario, concurrency, ownTargets, ownProcesses, mode, profileDir);
    } finally {
      await own.stop();
    }
  };
  const rows: RowResult[] = [];
  const skipped: Array<{ scenario: string; concurrency: number; reason: string }> = [];
  /** Rows that could not be measured at all (a path that does not work). */
  const broken: Array<{ scenario: string; concurrency: number; error: string }> = [];
  const profileDir = process.env.BENCH_PROFILE_DIR;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  let soak: SoakResult | undefined;
  try {
    await sleep(1000);
    const idleRss = gateway.process.rss.sample();
    gateway.process.rss.reset();
    const scenarios = await selectScenarios(http);
    for (const scenario of scenarios) {
      await fake.setChunkDelay(scenario.chunkDelayMs ?? 0);
      for (const concurrency of mode.concurrencyFilter(scenario.concurrency)) {
        let row: RowResult | string;
        try {
          row = await measure(scenario, concurrency);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          broken.push({ scenario: scenario.id, concurrency, error: message });
          log(`FAILED ${scenario.id} c=${concurrency}: ${message}`);
          continue;
        }
        if (typeof row === 'string') {
          skipped.push({ scenario: scenario.id, concurrency, reason: row });
          log(`${scenario.id} c=${concurrency}: n/a — ${row}`);
          continue;
        }
        rows.push(row);
        log(
          `${scenario.id} c=${concurrency}: direct ${Math.round(row.direct.requestsPerSecond)} req/s p50 ${row.direct.latency.p50.toFixed(3)}; ` +
            `gateway ${Math.round(row.gateway.requestsPerSecond)} req/s p50 ${row.gateway.latency.p50.toFixed(3)}; ` +
            `added ${row.addedP50.toFixed(3)}/${row.addedP99.toFixed(3)} ms; cpu ${row.gatewayCpuMsPerRequest.toFixed(3)} ms/req` +
            (row.direct.firstError || row.gateway.firstError
              ? `; ERRORS ${row.direct.errors}/${row.gateway.errors}: ${row.direct.firstError ?? row.gateway.firstError}`
              : ''),
        );
      }
    }
    await fake.setChunkDelay(0);
    const peakRss = Math.max(gateway.process.rss.peak(), ...rows.map((r) => r.gatewayPeakRss));
    const manyStreams = await manyStreamsRows(fake, floor, mode.manyStreams);
    const settled = await settleRss(gateway.process, idleRss, mode.settleMs);
    const afterGc = (await gateway.process.probe({ gc: true })).memory;
    const memory = {
      ...(quickStartIdle === undefined ? {} : { quickStartIdleRss: quickStartIdle }),
      idleRss,
      peakRss,
      afterRss: settled.rss,
      afterMs: settled.afterMs,
      afterGcRss: afterGc.rss,
      afterGc,
    };

    if (mode.soakRequests > 0) {
      const chat = scenarios.find((s) => s.id === 'chat-api');
      if (chat) {
        log(`soak: ${mode.soakRequests} requests of ${chat.id} at c=64`);
        soak = await runSoak(chat, 64, mode.soakRequests, targets, gateway.process, log);
      }
    }

    const checks = checkTargets(rows, memory, manyStreams, soak);
    const report = [
      `## Gateway vs direct (${mode.name}, ${started.toISOString()}, ${cpus().length} cores, node ${process.version})`,
      '',
      resultsTable(rows),
      ...skipped.map((s) => `\n${s.scenario} (c=${s.concurrency}): n/a — ${s.reason}`),
      ...broken.map((b) => `\n${b.scenario} (c=${b.concurrency}): FAILED — ${b.error}`),
      '',
      ...(manyStreams.length
        ? [
            '### Many streams at once (20 chunks 100 ms apart each; wall time until the last ends)',
            '',
            manyStreamsTable(manyStreams),
            '',
          ]
        : []),
      `Gateway RSS: ${mb(idleRss)} MB idle, ${mb(peakRss)} MB peak, ${mb(settled.rss)} MB after ${Math.round(settled.afterMs / 1000)} s idle, ${mb(afterGc.rss)} MB after GC ` +
        `(then heap used ${mb(afterGc.heapUsed)} of ${mb(afterGc.heapTotal)} MB, external ${mb(afterGc.external)} MB).`,
      ...(soak
        ? [
            `Soak ${soak.requests} × ${soak.scenario} at c=${soak.concurrency}: RSS ${mb(soak.rssBefore)} before, ${mb(soak.rssPeak)} peak, ${mb(soak.rssAfter)} after; heap after GC ${mb(soak.heapAfterGcFirst)} → ${mb(soak.heapAfterGcLast)} MB; errors ${soak.errors}.`,
          ]
        : []),
      '',
      targetsTable(checks),
      '',
    ].join('\n');
    process.stdout.write(report);

    // Smoke runs (CI) only check that every path works, and profiled runs are slowed by the
    // profiler: neither leaves a results file behind.
    if (mode.name !== 'smoke' && !profileDir) {
      const file = writeResults(started, mode.name, {
        mode: mode.name,
        startedAt: started.toISOString(),
        node: process.version,
        cores: cpus().length,
        cpuModel: cpus()[0]?.model,
        gatewayEntry: gateway.entry,
        rows,
        skipped,
        broken,
        memory,
        manyStreams,
        soak,
        targets: checks,
      });
      log(`wrote ${file}`);
    }

    const failed = rows.filter(
      (r) =>
        r.direct.errors ||
        r.gateway.errors ||
        r.floor?.errors ||
        !r.direct.completed ||
        !r.gateway.completed,
    );
    for (const r of manyStreams.filter((m) => m.errors)) {
      log(`FAILED many-streams ${r.door} N=${r.streams}: ${r.firstError}`);
    }
    for (const r of failed) {
      log(
        `FAILED ${r.scenario} c=${r.concurrency}: ${r.direct.firstError ?? r.gateway.firstError ?? 'no request completed'}`,
      );
    }
    if (soak?.errors) log(`FAILED soak: ${soak.errors} errors`);
    const streamFailures = manyStreams.filter((m) => m.errors).length;
    return failed.length || broken.length || soak?.errors || streamFailures ? 1 : 0;
  } finally {
    http.close();
    await Promise.allSettled([gateway.stop(), floor.process.stop(), fake.process.stop()]);
  }
}

/**
 * N streams at once through every door, on a gateway of its own that lets as many requests reach
 * the upstream as there are streams (the bench gateway's 64 would queue them).
 */
async function manyStreamsRows(
  fake: Awaited<ReturnType<typeof startFakeProcess>>,
  floor: Awaited<ReturnType<typeof startFloorProcess>>,
  counts: number[],
) {
  const only = (process.env.BENCH_ONLY ?? '').split(',').filter(Boolean);
  if (counts.length === 0 || (only.length > 0 && !only.includes('many-streams'))) return [];
  const own = await startGatewayProcess(fake.url, {
    UPSTREAM_MAX_CONCURRENCY: '10000',
    UPSTREAM_QUEUE_SIZE: '10000',
  });
  await fake.setChunkDelay(100);
  try {
    return await runManyStreams(
      {
        fakeUrl: fake.url,
        gatewayUrl: own.url,
        gateway: own.process,
        floor: { url: floor.url, process: floor.process },
      },
      counts,
      log,
    );
  } finally {
    await fake.setChunkDelay(0);
    await own.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
