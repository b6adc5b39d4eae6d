import { readFileSync } from 'node:fs';

/** Resident set size now and its high-water mark, from /proc (Linux), in bytes. */
export function readRss(pid: number): { rss: number; hwm: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1]);
    return { rss: kb('VmRSS') * 1024, hwm: kb('VmHWM') * 1024 };
  } catch {
    return undefined;
  }
}

/**
 * Samples a process's RSS on an interval from the outside (costs the measured process nothing).
 * `peak()` is the highest sample since the last `reset()`.
 */
export class RssSampler {
  #peak = 0;
  #last = 0;
  readonly #timer: NodeJS.Timeout;

  constructor(
    private readonly pid: number,
    intervalMs = 20,
  ) {
    this.#timer = setInterval(() => this.sample(), intervalMs);
    this.#timer.unref();
    this.sample();
  }

  sample(): number {
    const rss = readRss(this.pid)?.rss ?? 0;
    this.#last = rss;
    if (rss > this.#peak) this.#peak = rss;
    return rss;
  }

  reset(): void {
    this.#peak = this.sample();
  }

  peak(): number {
    return Math.max(this.#peak, this.sample());
  }

  last(): number {
    return this.#last;
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}
