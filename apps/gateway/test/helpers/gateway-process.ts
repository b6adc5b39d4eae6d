import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// The real entry point (src/main.ts via tsx, no build) as a separate process: a replica.
const appDir = fileURLToPath(new URL('../..', import.meta.url));
const tsx = fileURLToPath(new URL('../../../../node_modules/.bin/tsx', import.meta.url));
const tsconfig = fileURLToPath(new URL('../fixtures/tsconfig.source.json', import.meta.url));

export interface GatewayProcess {
  url: string;
  output(): string;
  /** SIGTERM (graceful: drains, flushes usage; tsx relays it) and waits for the exit code. */
  stop(): Promise<number | null>;
}

export async function startGatewayProcess(env: Record<string, string>): Promise<GatewayProcess> {
  const child: ChildProcess = spawn(tsx, ['--tsconfig', tsconfig, 'src/main.ts'], {
    cwd: appDir,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', MODELS_DIR: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so a failed start kills tsx's node child too (no orphans).
    detached: true,
  });
  let out = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    out += d;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    return exited;
  };
  const until = Date.now() + 20_000;
  while (Date.now() < until && child.exitCode === null) {
    const match = /listening on (http:\/\/[\d.:]+)/.exec(out);
    if (match) {
      const url = match[1]!;
      await waitReady(url, until);
      return { url, output: () => out, stop };
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
  throw new Error(`gateway process did not start:\n${out}`);
}

async function waitReady(url: string, until: number): Promise<void> {
  while (Date.now() < until) {
    if ((await fetch(`${url}/readyz`)).status === 200) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`gateway process at ${url} never became ready`);
}
