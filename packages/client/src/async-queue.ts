/**
 * A one-consumer queue that turns callbacks (onData / onError / onComplete) into awaited values.
 * `next()` resolves with the next item, with `undefined` once ended, or rejects after `fail`.
 */
export class AsyncQueue<T> {
  private items: T[] = [];
  private ended = false;
  private error: { reason: unknown } | undefined;
  private waiter:
    | { resolve: (item: T | undefined) => void; reject: (e: unknown) => void }
    | undefined;

  push(item: T): void {
    if (this.ended || this.error) return;
    if (this.waiter) {
      const { resolve } = this.waiter;
      this.waiter = undefined;
      resolve(item);
    } else {
      this.items.push(item);
    }
  }

  end(): void {
    if (this.ended || this.error) return;
    this.ended = true;
    this.wake();
  }

  /** Fails the queue; items already queued are still delivered first. */
  fail(reason: unknown): void {
    if (this.ended || this.error) return;
    this.error = { reason };
    this.wake();
  }

  next(): Promise<T | undefined> {
    if (this.items.length > 0) return Promise.resolve(this.items.shift());
    if (this.error) return Promise.reject(this.error.reason);
    if (this.ended) return Promise.resolve(undefined);
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  private wake(): void {
    const waiter = this.waiter;
    if (!waiter) return;
    this.waiter = undefined;
    if (this.error) waiter.reject(this.error.reason);
    else waiter.resolve(undefined);
  }
}
