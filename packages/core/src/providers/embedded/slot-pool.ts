import { GatewayError } from '../../errors.js';

export interface SlotPoolOptions {
  /** Concurrent holders (the context's sequence count). */
  size: number;
  /** Callers allowed to wait for a slot; one more is refused with OVERLOADED. */
  maxQueue: number;
  /** Longest wait for a slot before OVERLOADED, ms. */
  queueTimeoutMs: number;
  /** Names the resource in error messages, e.g. `model "x:latest"`. */
  label: string;
}

interface Waiter {
  grant: (release: () => void) => void;
  fail: (error: GatewayError) => void;
}

/**
 * A counting semaphore with a bounded FIFO wait queue: the admission control in front of a
 * llama context, which refuses ("No sequences left") rather than queues when it is full.
 */
export class SlotPool {
  private held = 0;
  private readonly waiters: Waiter[] = [];

  constructor(private readonly options: SlotPoolOptions) {}

  get active(): number {
    return this.held;
  }

  get queued(): number {
    return this.waiters.length;
  }

  get idle(): boolean {
    return this.held === 0 && this.waiters.length === 0;
  }

  /** Resolves with a `release` function (idempotent) once a slot is free. */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(cancelled());
    if (this.held < this.options.size) {
      this.held++;
      return Promise.resolve(this.releaser());
    }
    if (this.waiters.length >= this.options.maxQueue) {
      return Promise.reject(
        this.overloaded(`queue full (${this.options.maxQueue} waiting) for ${this.options.label}`),
      );
    }
    return new Promise((resolve, reject) => {
      const settle = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
      };
      const waiter: Waiter = {
        grant: (release) => {
          settle();
          resolve(release);
        },
        fail: (error) => {
          settle();
          reject(error);
        },
      };
      const onAbort = () => waiter.fail(cancelled());
      const timer = setTimeout(
        () =>
          waiter.fail(
            this.overloaded(
              `waited ${this.options.queueTimeoutMs} ms for a free sequence of ${this.options.label}`,
            ),
          ),
        this.options.queueTimeoutMs,
      );
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  /** Refuses every waiter (used when the provider closes). */
  rejectWaiting(error: GatewayError): void {
    for (const waiter of [...this.waiters]) waiter.fail(error);
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters[0];
      // Hand the slot straight to the next waiter: `held` stays the same.
      if (next) next.grant(this.releaser());
      else this.held--;
    };
  }

  private overloaded(reason: string): GatewayError {
    return new GatewayError('OVERLOADED', `Embedded engine busy: ${reason}`, {
      upstream: 'embedded',
      retryAfterSeconds: Math.max(1, Math.ceil(this.options.queueTimeoutMs / 1000)),
    });
  }
}

export function cancelled(): GatewayError {
  return new GatewayError('CANCELLED', 'Request cancelled', { upstream: 'embedded' });
}
