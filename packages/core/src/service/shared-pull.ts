/**
 * Concurrent pulls of one model share one upstream pull: the first caller starts it, later
 * callers join and see progress from the latest event on. The upstream pull is aborted only
 * when every caller has left; it ends for everyone after `onSuccess` (catalogue refresh).
 */
import { GatewayError, toGatewayError } from '../errors.js';
import type { PullProgress } from '../types.js';

interface Subscriber {
  queue: PullProgress[];
  done: boolean;
  error?: GatewayError;
  wake?: () => void;
}

interface SharedPull {
  controller: AbortController;
  subscribers: Set<Subscriber>;
  last?: PullProgress;
  finished: boolean;
  /** How it ended, for a subscriber that joins after the end (a starter that failed at once). */
  outcome?: { error?: GatewayError };
}

export type PullStarter = (model: string, signal: AbortSignal) => AsyncIterable<PullProgress>;

export function createSharedPulls(start: PullStarter, onSuccess: () => Promise<void>) {
  const running = new Map<string, SharedPull>();

  const begin = (model: string): SharedPull => {
    const shared: SharedPull = {
      controller: new AbortController(),
      subscribers: new Set(),
      finished: false,
    };
    running.set(model, shared);
    const notify = (apply: (s: Subscriber) => void) => {
      for (const s of shared.subscribers) {
        apply(s);
        s.wake?.();
      }
    };
    void (async () => {
      try {
        for await (const progress of start(model, shared.controller.signal)) {
          shared.last = progress;
          notify((s) => s.queue.push(progress));
        }
        await onSuccess();
        shared.outcome = {};
        notify((s) => {
          s.done = true;
        });
      } catch (error) {
        const failure = toGatewayError(error);
        shared.outcome = { error: failure };
        notify((s) => {
          s.error = failure;
        });
      } finally {
        shared.finished = true;
        if (running.get(model) === shared) running.delete(model);
      }
    })();
    return shared;
  };

  return {
    /** Number of upstream pulls in progress (for tests and metrics). */
    active: () => running.size,
    async *pull(model: string, signal?: AbortSignal): AsyncGenerator<PullProgress> {
      if (signal?.aborted) throw cancelled();
      const shared = running.get(model) ?? begin(model);
      const me: Subscriber = { queue: shared.last ? [shared.last] : [], done: false };
      if (shared.outcome) {
        me.done = shared.outcome.error === undefined;
        if (shared.outcome.error) me.error = shared.outcome.error;
      }
      shared.subscribers.add(me);
      const onAbort = () => me.wake?.();
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        for (;;) {
          if (signal?.aborted) throw cancelled();
          const next = me.queue.shift();
          if (next) {
            yield next;
            continue;
          }
          if (me.error) throw me.error;
          if (me.done) return;
          await new Promise<void>((resolve) => {
            me.wake = resolve;
          });
          me.wake = undefined;
        }
      } finally {
        signal?.removeEventListener('abort', onAbort);
        shared.subscribers.delete(me);
        if (shared.subscribers.size === 0 && !shared.finished) {
          if (running.get(model) === shared) running.delete(model);
          shared.controller.abort();
        }
      }
    },
  };
}

function cancelled(): GatewayError {
  return new GatewayError('CANCELLED', 'The pull was cancelled');
}
