import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type FakeOllama, fakeChatReply, startFakeOllama } from '@intellicore/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

// The real entry point (src/main.ts via tsx, no build) in a child process.
const appDir = fileURLToPath(new URL('..', import.meta.url));
const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
const tsconfig = fileURLToPath(new URL('./fixtures/tsconfig.source.json', import.meta.url));

interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function runMain(env: Record<string, string>): Running {
  const child = spawn(tsx, ['--tsconfig', tsconfig, 'src/main.ts'], {
    cwd: appDir,
    env: {
      PATH: process.env.PATH ?? '',
      HOST: '127.0.0.1',
      PORT: '0',
      MODELS_DIR: 'off',
      DATABASE_URL: ':memory:',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    err += d;
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  return { child, stdout: () => out, stderr: () => err, exited };
}

async function urlOf(run: Running, timeoutMs = 20_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const match = /listening on (http:\/\/[\d.:]+)/.exec(run.stdout());
    if (match) return match[1]!;
    if (run.child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`gateway did not start:\n${run.stdout()}\n${run.stderr()}`);
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

describe('configuration errors', () => {
  it.each([
    ['PORT', { PORT: 'eighty' }],
    ['OLLAMA_URL', { OLLAMA_URL: 'ftp://nope' }],
  ])('a bad %s exits non-zero naming it', { timeout: 30_000 }, async (name, env) => {
    const run = runMain(env);
    children.push(run.child);
    expect(await run.exited).not.toBe(0);
    expect(run.stderr()).toContain(name);
    expect(run.stderr()).not.toMatch(/at .*\.ts:\d+/); // a message, not a stack trace
  });
});

describe('graceful shutdown', () => {
  let fake: FakeOllama;
  beforeAll(async () => {
    fake = await startFakeOllama({ chunkDelayMs: 60 });
  });
  afterAll(() => fake?.close());

  it('SIGTERM during a stream lets it finish, then the process exits 0', {
    timeout: 60_000,
  }, async () => {
    const run = runMain({ OLLAMA_URL: fake.url, SHUTDOWN_TIMEOUT_MS: '10000' });
    children.push(run.child);
    const url = await urlOf(run);
    // No keys: open mode, said at start, and local only (HOST=127.0.0.1 here).
    expect(run.stdout()).toContain('open mode, every caller is admin. Listening on 127.0.0.1 only');
    // wait for the upstream to be healthy
    for (let i = 0; i < 100 && (await fetch(`${url}/readyz`)).status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const messages = [{ role: 'user', content: 'tell me a longer story about shutdown' }];
    const res = await fetch(`${url}/api/chat`, {
      method: 'POST',
      body: JSON.stringify({ model: 'llama3.2', messages }),
    });
    const reader = res.body!.getReader();
    const first = await reader.read(); // the stream is flowing
    run.child.kill('SIGTERM');
    let text = new TextDecoder().decode(first.value);
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    const lines = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.at(-1)).toMatchObject({ done: true, done_reason: 'stop' });
    expect(lines.map((l) => l.message.content).join('')).toBe(fakeChatReply(messages, 'llama3.2'));
    expect(await run.exited).toBe(0);
    expect(run.stdout()).toContain('shutdown complete');
    await expect(fetch(`${url}/healthz`)).rejects.toThrow(); // no longer accepting
  });
});
