import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { forkMeasured, type MeasuredChild, PROBE_URL, TSX_URL } from './child.js';

export interface GatewayHandle {
  url: string;
  process: MeasuredChild;
  /** Which entry ran: the built dist (what ships) or the sources through tsx. */
  entry: string;
  stop(): Promise<void>;
}

const GATEWAY_DIR = fileURLToPath(new URL('../../../apps/gateway/', import.meta.url));

/**
 * The gateway entry: `apps/gateway/dist/main.js` (built by `pnpm bench`), else the sources via
 * tsx. BENCH_GATEWAY_ENTRY overrides it (any script that reads PORT and OLLAMA_URL).
 */
function gatewayEntry(): { entry: string; execArgv: string[] } {
  const override = process.env.BENCH_GATEWAY_ENTRY
    ? resolve(process.env.BENCH_GATEWAY_ENTRY)
    : undefined;
  const dist = join(GATEWAY_DIR, 'dist/main.js');
  const entry =
    override ??
    (existsSync(dist) && process.env.BENCH_GATEWAY_SRC !== '1'
      ? dist
      : join(GATEWAY_DIR, 'src/main.ts'));
  const loader = entry.endsWith('.ts') ? ['--import', TSX_URL] : [];
  const extra = (process.env.BENCH_GATEWAY_NODE_OPTIONS ?? '').split(' ').filter(Boolean);
  return { entry, execArgv: [...loader, '--import', PROBE_URL, '--expose-gc', ...extra] };
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

async function waitHealthy(url: string, child: MeasuredChild, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    if (child.exited()) {
      await child.stop();
      throw new Error(`gateway exited before it was healthy:\n${child.output()}`);
    }
    try {
      const response = await fetch(new URL('/healthz', url));
      if (response.ok) return;
      lastError = `HTTP ${response.status}`;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await child.stop();
  throw new Error(`gateway at ${url} not healthy within ${timeoutMs} ms (${lastError})`);
}

/**
 * Starts the gateway as the quick start runs it (`pnpm start`): no Ollama, the embedded engine
 * over a models folder holding the demo model, SQLite, defaults otherwise.
 */
export async function startQuickStartProcess(): Promise<GatewayHandle> {
  const { ensureDemoModel } = await import('@intellicore/testkit');
  const modelsDir = mkdtempSync(join(tmpdir(), 'intellicore-bench-models-'));
  await ensureDemoModel(modelsDir);
  const gateway = await startGatewayProcess('', { MODELS_DIR: modelsDir, ALLOWED_MODELS: '' });
  return {
    ...gateway,
    async stop() {
      await gateway.stop();
      rmSync(modelsDir, { recursive: true, force: true });
    },
  };
}

/**
 * What a measured gateway inherits from the bench's environment: the process basics only. A
 * VALKEY_URL, API_KEYS or OTEL_* exported for the tests (as CI does) would otherwise change the
 * gateway being measured (Valkey alone adds ~8 MB to the idle RSS).
 */
function inheritedEnv(): NodeJS.ProcessEnv {
  // MINI_STREAM: read by the parsing floor (BENCH_GATEWAY_ENTRY=src/processes/parsing-floor.mjs).
  const keep = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ', 'MINI_STREAM'];
  return Object.fromEntries(keep.flatMap((k) => (k in process.env ? [[k, process.env[k]]] : [])));
}

/**
 * Starts the gateway as a child process in front of `ollamaUrl`, with its own temp data dir
 * (SQLite store, empty MODELS_DIR) and quiet logs. `env` adds or overrides variables.
 */
export async function startGatewayProcess(
  ollamaUrl: string,
  env: Record<string, string> = {},
): Promise<GatewayHandle> {
  const { entry, execArgv } = gatewayEntry();
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'intellicore-bench-'));
  const modelsDir = join(dataDir, 'models');
  mkdirSync(modelsDir);
  const child = forkMeasured({
    entry,
    execArgv,
    cwd: dataDir,
    verbose: process.env.BENCH_VERBOSE === '1',
    env: {
      ...inheritedEnv(),
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      OLLAMA_URL: ollamaUrl,
      MODELS_DIR: modelsDir,
      DATABASE_URL: join(dataDir, 'gateway.sqlite'),
      ALLOWED_MODELS: 'llama3.2,nomic-embed-text',
      // As many requests in flight to the upstream as the direct path has (default 8 would
      // queue at c=64 and measure the limiter, not the gateway).
      UPSTREAM_MAX_CONCURRENCY: '64',
      LOG_LEVEL: 'warn',
      ...env,
    },
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitHealthy(url, child, 60_000);
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    url,
    process: child,
    entry,
    async stop() {
      await child.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
