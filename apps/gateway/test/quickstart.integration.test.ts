import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_MODEL_NAME } from '@intellicore/testkit';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuiltGateway } from './quickstart/built-dist.js';
import { freePort, type QuickstartProcess, startQuickstart } from './quickstart/start-process.js';

// The README's quick start, as a user runs it: `pnpm start` (= the build, then
// `node scripts/start.mjs`) on a machine with no Ollama and no model. It must generate the demo
// model, serve it through the embedded engine, and print a URL and an example call that work.

let dir: string;
let port: number;
let start: QuickstartProcess;

beforeAll(async () => {
  ensureBuiltGateway();
  dir = await mkdtemp(join(tmpdir(), 'quickstart-'));
  port = await freePort();
  start = startQuickstart({
    PORT: String(port),
    MODELS_DIR: join(dir, 'models'),
    DATABASE_URL: join(dir, 'gateway.db'),
  });
  await start.waitFor(/^try: curl .*$/m, 60_000);
}, 300_000);

afterAll(async () => {
  start?.kill();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The printed example: `curl -s URL -H 'k: v' … -d 'JSON'`, as fetch arguments. */
function parseCurl(line: string): { url: string; headers: Record<string, string>; body: string } {
  const match = line.match(/^try: curl -s (\S+)((?: -H '[^']*')*) -d '([^']*)'$/);
  if (!match) throw new Error(`not the expected curl example: ${line}`);
  const headers: Record<string, string> = {};
  for (const [, name, value] of (match[2] ?? '').matchAll(/ -H '([^:]+):\s*([^']*)'/g)) {
    headers[name as string] = value as string;
  }
  return { url: match[1] as string, headers, body: match[3] as string };
}

describe('quick start: pnpm start on a fresh machine', { timeout: 30_000 }, () => {
  const base = () => `http://localhost:${port}`;
  let stopping: Promise<{ code: number | null; signal: NodeJS.Signals | null }> | undefined;
  /** SIGTERM to start.mjs (as `kill` or a process manager sends it), once; resolves on exit. */
  const stopped = () => {
    stopping ??= (async () => {
      start.child.kill('SIGTERM');
      return start.exited;
    })();
    return stopping;
  };

  it('generates the demo model and prints the URL and an example call', () => {
    const out = start.output();
    expect(out).toContain(`generated the demo model ${DEMO_MODEL_NAME}`);
    expect(out).toContain(`intelliCore LLM Gateway is serving ${base()}`);
    expect(out).toMatch(/^try: curl -s \S+\/v1\/chat\/completions /m);
  });

  it('answers /healthz', async () => {
    const res = await fetch(`${base()}/healthz`);
    expect(res.status).toBe(200);
  });

  it('the printed example call works: a chat on the demo model', async () => {
    const line = start.output().match(/^try: curl .*$/m)?.[0] ?? '';
    const call = parseCurl(line);
    const sent = JSON.parse(call.body) as { model: string; max_tokens: number };
    expect(sent.model).toBe(DEMO_MODEL_NAME);
    const res = await fetch(call.url, { method: 'POST', headers: call.headers, body: call.body });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      model: string;
      choices: { message: { role: string; content: string }; finish_reason: string }[];
      usage: { completion_tokens: number };
    };
    expect(body.model).toBe(DEMO_MODEL_NAME);
    expect(body.choices[0]?.message.role).toBe('assistant');
    expect(body.choices[0]?.message.content.length).toBeGreaterThan(0);
    expect(body.usage.completion_tokens).toBeGreaterThan(0);
    expect(body.usage.completion_tokens).toBeLessThanOrEqual(sent.max_tokens);
  });

  it('streams a chat over /v1 (SSE) and embeds over /v1/embeddings', async () => {
    const openai = new OpenAI({ baseURL: `${base()}/v1`, apiKey: 'none', maxRetries: 0 });
    const stream = await openai.chat.completions.create({
      model: DEMO_MODEL_NAME,
      messages: [{ role: 'user', content: 'Hello' }],
      max_tokens: 8,
      temperature: 0,
      stream: true,
    });
    let text = '';
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(text.length).toBeGreaterThan(0);
    expect(['stop', 'length']).toContain(finish);

    const embedding = await openai.embeddings.create({ model: DEMO_MODEL_NAME, input: 'Hello' });
    expect(embedding.data[0]?.embedding).toHaveLength(64);
    expect(embedding.data[0]?.embedding.every(Number.isFinite)).toBe(true);
  });

  it('stops on SIGTERM: the process exits and the port closes', async () => {
    await stopped();
    await expect(fetch(`${base()}/healthz`)).rejects.toThrow();
  });

  // Regression: main.ts once used process.once for SIGTERM, and node-llama-cpp's signal-exit@3
  // re-raised the signal mid-shutdown, so the gateway died without draining.
  it('exits 0 after a graceful shutdown on SIGTERM', async () => {
    const exit = await stopped();
    expect(start.output()).toContain('signal received');
    expect(exit, start.output()).toEqual({ code: 0, signal: null });
  });
});
