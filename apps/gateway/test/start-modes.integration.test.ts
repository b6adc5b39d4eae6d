import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FakeOllama, startFakeOllama } from '@intellicore/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuiltGateway } from './quickstart/built-dist.js';
import { freePort, type QuickstartProcess, startQuickstart } from './quickstart/start-process.js';

// `pnpm start` (= the build, then `node scripts/start.mjs`, spawned here as a process, run from a
// temp folder) in the ways MODELS_DIR and OLLAMA_URL combine, next to a real fake-Ollama HTTP
// server on 127.0.0.1 that is stopped and started again.

let dir: string;
let running: QuickstartProcess | undefined;

beforeAll(async () => {
  ensureBuiltGateway();
  dir = await mkdtemp(join(tmpdir(), 'start-modes-'));
}, 300_000);

afterEach(async () => {
  running?.kill();
  await running?.exited;
  running = undefined;
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface Ready {
  ready: boolean;
  upstreams: Array<{ kind: string; healthy: boolean }>;
}

async function start(name: string, env: Record<string, string>) {
  const port = await freePort();
  const cwd = join(dir, name);
  await rm(cwd, { recursive: true, force: true });
  await mkdir(cwd);
  running = startQuickstart(
    { PORT: String(port), DATABASE_URL: join(cwd, 'gateway.db'), ...env },
    { cwd },
  );
  await running.waitFor(/^try: curl .*$/m, 60_000);
  const base = `http://127.0.0.1:${port}`;
  const readyz = async () => {
    const res = await fetch(`${base}/readyz`);
    return { status: res.status, body: (await res.json()) as Ready };
  };
  return { base, cwd, readyz, output: running.output };
}

const chat = (base: string) =>
  fetch(`${base}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'llama3.2', messages: [{ role: 'user', content: 'hi' }] }),
  });

describe('pnpm start: MODELS_DIR and OLLAMA_URL', { timeout: 90_000 }, () => {
  it('MODELS_DIR=off disables the embedded engine: no folder named off, no upstream, /readyz 503', async () => {
    const gw = await start('off', { MODELS_DIR: 'off' });
    expect(gw.output()).toContain('embedded engine off (MODELS_DIR=off) and no OLLAMA_URL');
    expect(gw.output()).not.toContain('demo model');
    expect(readdirSync(gw.cwd)).not.toContain('off');
    const ready = await gw.readyz();
    expect(ready.status).toBe(503);
    expect(ready.body.upstreams).toEqual([]);
    const res = await chat(gw.base);
    expect(res.status).toBe(503);
    expect(
      ((await res.json()) as { error: { code: string; message: string } }).error,
    ).toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      message: 'No upstream is configured: set OLLAMA_URL or MODELS_DIR',
    });
  });

  describe('with OLLAMA_URL', () => {
    let fake: FakeOllama;
    beforeAll(async () => {
      fake = await startFakeOllama();
    });
    afterAll(async () => {
      await fake?.close();
    });

    it('no demo model and no embedded engine unless MODELS_DIR is set; /readyz follows Ollama', async () => {
      const gw = await start('ollama', { OLLAMA_URL: fake.url });
      expect(gw.output()).toContain('embedded engine off: Ollama at OLLAMA_URL is the upstream');
      expect(gw.output()).not.toContain('demo model');
      expect(readdirSync(gw.cwd)).not.toContain('models');
      await expect.poll(async () => (await gw.readyz()).status, { timeout: 10_000 }).toBe(200);
      expect((await gw.readyz()).body.upstreams.map((u) => u.kind)).toEqual(['ollama']);
      expect((await chat(gw.base)).status).toBe(200);

      const port = fake.port;
      await fake.close();
      await expect.poll(async () => (await gw.readyz()).status, { timeout: 15_000 }).toBe(503);
      const down = await chat(gw.base);
      expect(down.status).toBe(503);
      expect(Number(down.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      fake = await startFakeOllama({ port });
      await expect.poll(async () => (await gw.readyz()).status, { timeout: 40_000 }).toBe(200);
    });

    it('MODELS_DIR set explicitly runs the embedded engine next to Ollama (no demo model)', async () => {
      const models = join(dir, 'explicit-models');
      const gw = await start('explicit', { OLLAMA_URL: fake.url, MODELS_DIR: models });
      expect(gw.output()).toContain(`embedded engine serves the GGUF files in ${models}`);
      expect(gw.output()).not.toContain('demo model');
      expect(existsSync(models) ? readdirSync(models) : []).toEqual([]);
      await expect.poll(async () => (await gw.readyz()).status, { timeout: 10_000 }).toBe(200);
      expect((await gw.readyz()).body.upstreams.map((u) => u.kind)).toEqual(['ollama', 'embedded']);
    });
  });
});
