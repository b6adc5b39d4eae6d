import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ensureBuilt, type FakeOllama, fakeChatReply, startFakeOllama } from '@intellicore/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execForm, readDockerfile, type Stage, stageEnv } from './helpers/dockerfile.js';
import { repoRoot } from './quickstart/built-dist.js';
import { freePort } from './quickstart/start-process.js';

// The Docker image without Docker: the Dockerfile's own steps replayed outside Docker (its
// `pnpm … deploy` of the gateway, its COPY of the built playground, its runtime ENV with /app
// and /data moved to a temp folder), then its CMD started in that folder, which holds the
// production dependencies only and lies outside the repository, so nothing resolves from the
// workspace's node_modules. A runtime import missing from the gateway's dependencies fails here.
const stages = readDockerfile(join(repoRoot, 'Dockerfile'));
const build = stages.find((s) => s.name === 'build') as Stage;
const runtime = stages.at(-1) as Stage;
const root = mkdtempSync(join(tmpdir(), 'gateway-image-'));
const outDir = join(root, 'out');
const appDir = join(root, 'app');
const dataDir = join(root, 'data');
let fake: FakeOllama;

/** Image paths → the temp folder (and the build stage's /repo → this repository). */
const local = (path: string) =>
  path
    .replace(/^\/out\b/, outDir)
    .replace(/^\/repo\b/, repoRoot)
    .replace(/^\/app\b/, appDir)
    .replace(/^\/data\b/, dataDir);

interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

/** The runtime stage's CMD in its WORKDIR, with its ENV (paths moved) and test settings. */
async function startImage(extraEnv: Record<string, string>): Promise<Started> {
  const [command, ...args] = execForm(runtime, 'CMD');
  const workdir = runtime.instructions.findLast((i) => i.keyword === 'WORKDIR')?.args ?? '/';
  const env = Object.fromEntries(Object.entries(stageEnv(runtime)).map(([k, v]) => [k, local(v)]));
  const port = await freePort();
  const child = spawn(command === 'node' ? process.execPath : (command as string), args, {
    cwd: local(workdir),
    env: {
      PATH: process.env.PATH ?? '',
      ...env,
      HOST: '127.0.0.1',
      PORT: String(port),
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout?.on('data', (d) => (text += d));
  child.stderr?.on('data', (d) => (text += d));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, url: `http://127.0.0.1:${port}`, output: () => text, exited };
}

async function waitHealthy(started: Started, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until && started.child.exitCode === null) {
    const ok = await fetch(`${started.url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the deployed gateway did not answer /healthz:\n${started.output()}`);
}

beforeAll(async () => {
  // CI builds everything before the tests; locally build what is missing or stale.
  ensureBuilt({
    repoRoot,
    outputs: ['apps/gateway/dist/main.js', 'apps/playground/dist/index.html'].map((p) =>
      join(repoRoot, p),
    ),
    inputs: ['apps/gateway/src', 'packages/core/src', 'apps/playground/src'].map((p) =>
      join(repoRoot, p),
    ),
    filters: ['@intellicore/llm-gateway...', '@intellicore/playground'],
  });
  // Nothing above the temp folder may hold packages (Node would resolve from there).
  for (let dir = root; dir !== dirname(dir); dir = dirname(dir)) {
    expect(existsSync(join(dir, 'node_modules')), dir).toBe(false);
  }
  const deploy = build.instructions.find((i) => i.keyword === 'RUN' && / deploy /.test(i.args));
  if (!deploy) throw new Error('the Dockerfile has no `pnpm … deploy` step');
  expect(deploy.args).toMatch(/ \/out$/);
  const [pnpm, ...args] = deploy.args.split(' ').map(local);
  execFileSync(pnpm as string, args, { cwd: repoRoot, stdio: 'pipe', timeout: 180_000 });
  for (const copy of runtime.instructions.filter((i) => i.keyword === 'COPY')) {
    const [from, source, target] = copy.args.split(' ');
    expect(from).toBe('--from=build');
    const destination = resolve(appDir, target as string);
    if (source === '/out') renameSync(outDir, destination);
    else cpSync(local(source as string), destination, { recursive: true });
  }
  mkdirSync(join(dataDir, 'models'), { recursive: true });
  fake = await startFakeOllama();
}, 240_000);

afterAll(async () => {
  await fake?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('the deployed bundle, started as the image starts it', () => {
  it('holds production dependencies only', () => {
    expect(existsSync(join(appDir, 'dist', 'main.js'))).toBe(true);
    expect(existsSync(join(appDir, 'playground', 'index.html'))).toBe(true);
    for (const dev of ['vitest', '@intellicore/testkit', 'swagger-ui-dist', 'redoc', 'openai']) {
      expect(existsSync(join(appDir, 'node_modules', dev)), dev).toBe(false);
    }
    expect(existsSync(join(appDir, 'dist', 'docs-assets', 'swagger-ui-bundle.js'))).toBe(true);
  });

  it('answers /healthz, a chat through the fake Ollama, /docs, /openapi.json and /', async () => {
    const gw = await startImage({ OLLAMA_URL: fake.url, API_KEYS: 'sk-image', LOG_LEVEL: 'info' });
    try {
      await waitHealthy(gw, 60_000);
      const health = await fetch(`${gw.url}/healthz`).then((r) => r.json());
      expect(health).toMatchObject({ status: 'ok', authRequired: true });
      const messages = [{ role: 'user', content: 'hello image' }];
      const chat = await fetch(`${gw.url}/api/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: 'Bearer sk-image', 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'llama3.2', messages }),
      });
      expect(chat.status).toBe(200);
      expect((await chat.json()).message.content).toBe(fakeChatReply(messages, 'llama3.2'));
      const docs = await fetch(`${gw.url}/docs`);
      expect(docs.status).toBe(200);
      expect(await docs.text()).toContain('/docs/assets/swagger-ui-bundle.js');
      const bundle = await fetch(`${gw.url}/docs/assets/swagger-ui-bundle.js`);
      expect(bundle.status).toBe(200);
      expect((await bundle.arrayBuffer()).byteLength).toBeGreaterThan(500_000);
      const redoc = await fetch(`${gw.url}/docs/assets/redoc.standalone.js`);
      expect(redoc.status).toBe(200);
      await redoc.arrayBuffer();
      const openapi = await fetch(`${gw.url}/openapi.json`).then((r) => r.json());
      expect(openapi.openapi).toBe('3.1.0');
      const index = await fetch(`${gw.url}/`);
      expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await index.text()).toMatch(/<div id="root">/);
    } finally {
      gw.child.kill('SIGTERM');
      expect(await gw.exited).toBe(0); // graceful shutdown, as `docker stop` asks
    }
  }, 120_000);

  it('fails to start when the bundle misses a runtime dependency', async () => {
    rmSync(join(appDir, 'node_modules', 'pino'), { recursive: true, force: true });
    const gw = await startImage({ OLLAMA_URL: fake.url });
    const code = await gw.exited;
    expect(code).not.toBe(0);
    expect(gw.output()).toMatch(/ERR_MODULE_NOT_FOUND|Cannot find package 'pino'/);
  }, 60_000);
});
