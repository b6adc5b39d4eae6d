/**
 * A per-upstream concurrency limit with a bounded FIFO wait queue. Waiting ends with a slot, with
 * OVERLOADED (queue full, or the queue timeout passed) or with CANCELLED (the caller left).
 */
import { GatewayError } from '../errors.js';

export interface GateOptions {
  /** Requests allowed in flight at once. */
  maxConcurrent: number;
  /** Requests allowed to wait for a slot; more are refused at once. */
  maxQueue: number;
  /** Longest wait for a slot, ms. */
  queueTimeoutMs: number;
}

interface Waiter {
  grant(): void;
}

/** Gives the slot back; calling it more than once is harmless. */
export type Release = () => void;

export class ConcurrencyGate {
  private running = 0;
  private readonly waiters: Waiter[] = [];

  constructor(
    private readonly options: GateOptions,
    private readonly name: string,
  ) {}

  get inFlight(): number {
    return this.running;
  }

  get queued(): number {
    return this.waiters.length;
  }

  get hasCapacity(): boolean {
    return this.running < this.options.maxConcurrent;
  }

  get queueFull(): boolean {
    return this.waiters.length >= this.options.maxQueue;
  }

  /** A slot now, or after waiting in the queue. */
  acquire(signal?: AbortSignal): Promise<Release> {
    if (signal?.aborted) return Promise.reject(cancelled());
    if (this.hasCapacity && this.waiters.length === 0) return Promise.resolve(this.take());
    if (this.queueFull) return Promise.reject(this.overloaded('its wait queue is full'));
    return new Promise<Release>((resolve, reject) => {
      const cleanup = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
      };
      const waiter: Waiter = {
        grant: () => {
          cleanup();
          resolve(this.take());
        },
      };
      const onAbort = () => {
        cleanup();
        reject(cancelled());
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(this.overloaded(`no slot freed within ${this.options.queueTimeoutMs} ms`));
      }, this.options.queueTimeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  private take(): Release {
    this.running++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running--;
      this.waiters[0]?.grant();
    };
  }

  private overloaded(why: string): GatewayError {
    const retryAfterSeconds = Math.max(1, Math.ceil(this.options.queueTimeoutMs / 1000 / 4));
    return new GatewayError('OVERLOADED', `Upstream ${this.name} is busy: ${why}`, {
      retryAfterSeconds,
      upstream: this.name,
    });
  }
}

function cancelled(): GatewayError {
  return new GatewayError('CANCELLED', 'The request was cancelled while waiting for an upstream');
}
