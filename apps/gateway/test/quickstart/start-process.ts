import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { repoRoot } from './built-dist.js';

/** A port that was free a moment ago (the gateway binds it itself, so it cannot be port 0). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}

export interface QuickstartProcess {
  child: ChildProcess;
  /** Everything printed so far (stdout and stderr, interleaved as it arrived). */
  output(): string;
  /** Resolves with the first match of `pattern` in the output; rejects on exit or timeout. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  /** Resolves when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Kills the whole process group (start.mjs and the gateway it spawned), if still running. */
  kill(): void;
}

/**
 * `node scripts/start.mjs` as `pnpm start` runs it after the build, with a fresh machine's
 * environment: PATH and HOME only, plus the variables given (no OLLAMA_URL, no API keys), run
 * from the repository root unless `cwd` says otherwise.
 */
export function startQuickstart(
  env: Record<string, string>,
  options: { cwd?: string } = {},
): QuickstartProcess {
  const child = spawn(process.execPath, [join(repoRoot, 'scripts', 'start.mjs')], {
    cwd: options.cwd ?? repoRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so cleanup reaches the gateway child too.
    detached: true,
  });
  let text = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    text += chunk.toString('utf8');
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let running = true;
  void exited.then(() => {
    running = false;
    for (const listener of listeners) listener();
  });

  const waitFor = (pattern: RegExp, timeoutMs: number) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const match = text.match(pattern);
        if (match) return done(() => resolve(match));
        if (!running) {
          done(() => reject(new Error(`start.mjs exited before printing ${pattern}:\n${text}`)));
        }
      };
      const timer = setTimeout(
        () => done(() => reject(new Error(`no ${pattern} within ${timeoutMs} ms:\n${text}`))),
        timeoutMs,
      );
      const done = (settle: () => void) => {
        clearTimeout(timer);
        listeners.delete(check);
        settle();
      };
      listeners.add(check);
      check();
    });

  return {
    child,
    output: () => text,
    waitFor,
    exited,
    kill: () => {
      if (child.pid === undefined) return;
      // Also after start.mjs exited: the gateway it spawned may outlive it.
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    },
  };
}
