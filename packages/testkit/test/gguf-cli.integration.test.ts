import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTinyGguf, DEMO_MODEL_NAME } from '../src/index.js';

// Runs the CLI from source (node + tsx loader); `fake-ollama` starts a real server on 127.0.0.1.
const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const run = (...args: string[]) =>
  promisify(execFile)(process.execPath, ['--import', 'tsx', cli, ...args], { timeout: 30_000 });

let dir: string;
let child: ChildProcess | undefined;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'testkit-cli-'));
});
afterAll(async () => {
  child?.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

describe('testkit CLI', { timeout: 30_000 }, () => {
  it('ensure-demo-model creates the demo model once', async () => {
    const models = join(dir, 'models');
    expect((await run('ensure-demo-model', '--dir', models)).stdout).toMatch(
      /^created .*random-weights-demo\.gguf/,
    );
    expect((await run('ensure-demo-model', '--dir', models)).stdout).toMatch(/^exists /);
    const bytes = await readFile(join(models, `${DEMO_MODEL_NAME}.gguf`));
    expect(bytes.equals(Buffer.from(buildTinyGguf({ name: DEMO_MODEL_NAME })))).toBe(true);
  });

  it('gguf writes the seeded model and insists on --out', async () => {
    const out = join(dir, 'seeded.gguf');
    await run('gguf', '--out', out, '--seed', '9');
    expect((await readFile(out)).equals(Buffer.from(buildTinyGguf({ seed: 9 })))).toBe(true);
    await expect(run('gguf')).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/--out/),
    });
  });

  it('fake-ollama serves until SIGTERM', async () => {
    const proc = spawn(process.execPath, ['--import', 'tsx', cli, 'fake-ollama', '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      proc.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /listening on (http:\/\/\S+)/.exec(out);
        if (match?.[1]) resolve(match[1]);
      });
      proc.once('exit', (code) => reject(new Error(`exited with ${code}`)));
    });
    const version = (await (await fetch(`${url}/api/version`)).json()) as { version: string };
    expect(typeof version.version).toBe('string');
    const exited = new Promise<number | null>((resolve) => proc.once('exit', resolve));
    proc.kill('SIGTERM');
    expect(await exited).toBe(0);
    child = undefined;
  });
});
