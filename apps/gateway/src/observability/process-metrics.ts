import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Counter, Gauge, type Registry } from './prometheus.js';

const startTimeSeconds = Math.round(Date.now() / 1000 - process.uptime());

/**
 * The process metrics operators expect next to the gateway's own, under prom-client's default
 * names: CPU, resident memory, V8 heap, event-loop delay (sampled every 20 ms), Node's version.
 * Read at scrape time; between scrapes only the event-loop monitor runs.
 */
export function registerProcessMetrics(registry: Registry): void {
  const registers = [registry];
  const loop = monitorEventLoopDelay({ resolution: 20 });
  loop.enable();
  new Counter({
    name: 'process_cpu_user_seconds_total',
    help: 'Total user CPU time spent in seconds.',
    registers,
    collect() {
      this.reset();
      this.inc(process.cpuUsage().user / 1e6);
    },
  });
  new Counter({
    name: 'process_cpu_system_seconds_total',
    help: 'Total system CPU time spent in seconds.',
    registers,
    collect() {
      this.reset();
      this.inc(process.cpuUsage().system / 1e6);
    },
  });
  new Gauge({
    name: 'process_start_time_seconds',
    help: 'Start time of the process since unix epoch in seconds.',
    registers,
    collect() {
      this.set(startTimeSeconds);
    },
  });
  new Gauge({
    name: 'process_resident_memory_bytes',
    help: 'Resident memory size in bytes.',
    registers,
    collect() {
      this.set(process.memoryUsage.rss());
    },
  });
  const gauge = (name: string, help: string, read: () => number) =>
    new Gauge({
      name,
      help,
      registers,
      collect() {
        this.set(read());
      },
    });
  gauge(
    'nodejs_heap_size_total_bytes',
    'Process heap size from Node.js in bytes.',
    () => process.memoryUsage().heapTotal,
  );
  gauge(
    'nodejs_heap_size_used_bytes',
    'Process heap size used from Node.js in bytes.',
    () => process.memoryUsage().heapUsed,
  );
  gauge(
    'nodejs_external_memory_bytes',
    'Node.js external memory size in bytes.',
    () => process.memoryUsage().external,
  );
  // Read together at scrape time, then the monitor starts a new window.
  let window = { p50: 0, p99: 0, max: 0 };
  new Gauge({
    name: 'nodejs_eventloop_lag_p50_seconds',
    help: 'The 50th percentile of the recorded event loop delays.',
    registers,
    collect() {
      window = { p50: loop.percentile(50), p99: loop.percentile(99), max: loop.max };
      loop.reset();
      this.set(window.p50 / 1e9);
    },
  });
  gauge(
    'nodejs_eventloop_lag_p99_seconds',
    'The 99th percentile of the recorded event loop delays.',
    () => window.p99 / 1e9,
  );
  gauge(
    'nodejs_eventloop_lag_max_seconds',
    'The maximum recorded event loop delay.',
    () => window.max / 1e9,
  );
  const [major = '', minor = '', patch = ''] = process.versions.node.split('.');
  new Gauge({
    name: 'nodejs_version_info',
    help: 'Node.js version info.',
    labelNames: ['version', 'major', 'minor', 'patch'] as const,
    registers,
  })
    .labels(process.version, major, minor, patch)
    .set(1);
}
