import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { RssSampler } from './proc-stats.js';

export interface ProbeReply {
  cpu: NodeJS.CpuUsage;
  memory: NodeJS.MemoryUsage;
  eventLoop: { idle: number; active: number; utilization: number };
}

/** A measured child process: CPU and memory come from the child itself over IPC. */
export interface MeasuredChild {
  readonly pid: number;
  readonly rss: RssSampler;
  /** The process has exited; `output()` says why. */
  exited(): boolean;
  /** The last few KB of its stdout/stderr. */
  output(): string;
  /** The child's own process.cpuUsage()/memoryUsage(); `gc` forces a GC first (--expose-gc). */
  probe(options?: { gc?: boolean }): Promise<ProbeReply>;
  /** Resolves with the first IPC message matching `predicate`. */
  waitForMessage<T>(predicate: (message: unknown) => message is T, timeoutMs: number): Promise<T>;
  send(message: object): void;
  /** Starts the V8 CPU profiler inside the child (probe preload). */
  startProfile(): Promise<void>;
  /** Stops it and writes the .cpuprofile to `path` (a file the child can write). */
  stopProfile(path: string): Promise<void>;
  stop(): Promise<void>;
}

export interface ForkOptions {
  entry: string;
  args?: string[];
  execArgv: string[];
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** Echo the child's stderr/stdout (otherwise only kept for error messages). */
  verbose?: boolean;
}

export const PROBE_URL = new URL('./probe.mjs', import.meta.url).href;
export const TSX_URL = import.meta.resolve('tsx');

export function forkMeasured(options: ForkOptions): MeasuredChild {
  const child: ChildProcess = fork(options.entry, options.args ?? [], {
    execArgv: options.execArgv,
    env: options.env,
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    serialization: 'json',
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    if (options.verbose) process.stderr.write(chunk);
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  if (child.pid === undefined) throw new Error(`could not start ${options.entry}`);
  const pid = child.pid;
  const rss = new RssSampler(pid);
  let nextId = 1;
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });

  const waitForMessage = <T>(predicate: (message: unknown) => message is T, timeoutMs: number) =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (message: unknown) => {
        if (!predicate(message)) return;
        cleanup();
        resolve(message);
      };
      const onExit = (code: number | null) => {
        cleanup();
        reject(new Error(`${options.entry} exited (${code}) before answering:\n${output}`));
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`${options.entry}: no answer within ${timeoutMs} ms:\n${output}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
      child.on('message', onMessage);
      child.once('exit', onExit);
    });

  /** Request/reply over IPC with the probe preload. */
  const ask = <T>(type: string, body: object): Promise<T> => {
    const id = nextId++;
    const reply = waitForMessage(
      (m): m is T =>
        (m as { type?: string }).type === `${type}-reply` && (m as { id?: number }).id === id,
      10_000,
    );
    child.send({ type, id, ...body });
    return reply;
  };

  return {
    pid,
    rss,
    exited: () => exited,
    output: () => output,
    waitForMessage,
    send(message) {
      child.send(message);
    },
    probe(probeOptions) {
      return ask<ProbeReply>('bench:probe', { gc: probeOptions?.gc ?? false });
    },
    async startProfile() {
      const reply = await ask<{ error?: string }>('bench:profile', { action: 'start' });
      if (reply.error) throw new Error(`profiler: ${reply.error}`);
    },
    async stopProfile(path) {
      const reply = await ask<{ error?: string }>('bench:profile', { action: 'stop', path });
      if (reply.error) throw new Error(`profiler: ${reply.error}`);
    },
    async stop() {
      rss.stop();
      if (exited) return;
      const exit = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exit;
      clearTimeout(timer);
    },
  };
}

/** Total CPU (user + system) between two probes, in ms. */
export function cpuMsBetween(before: ProbeReply, after: ProbeReply): number {
  return (after.cpu.user - before.cpu.user + after.cpu.system - before.cpu.system) / 1000;
}
