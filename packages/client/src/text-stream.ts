import { AsyncQueue } from './async-queue.js';
import { GatewayClientError } from './errors.js';

/** A generation as a stream of text deltas, then one final result. */
export interface TextStream<TResult> extends AsyncIterable<string> {
  /**
   * Settles when the stream ends: the final result, or a GatewayClientError (CANCELLED on abort
   * or early `break`, STREAM_INTERRUPTED when the connection dropped mid-answer, with
   * `details.partialText`). Awaiting it is optional; iterating is what drives the stream.
   */
  readonly result: Promise<TResult>;
}

export interface TextStreamOptions {
  /** Aborting closes the request; the gateway then closes the upstream request. */
  signal?: AbortSignal;
}

/** The callbacks of a typed `.subscribe(input, callbacks)`. */
export interface StreamHandlers {
  onData(event: unknown): void;
  onError(error: unknown): void;
  onComplete(): void;
  onConnectionStateChange(state: { state: string; error: unknown }): void;
}

/** How one procedure's events read: the text of a delta, the result of the `done` event. */
export interface StreamShape<TEvent, TResult> {
  name: string;
  textOf(delta: Exclude<TEvent, { type: 'done' }>): string;
  resultOf(done: Extract<TEvent, { type: 'done' }>): TResult;
}

/**
 * Turns a subscription of `delta` … `done` events into a TextStream. Never silently re-runs a
 * generation: a dropped connection (or, on the GET SSE path, the link's first reconnect attempt)
 * ends the stream with an error; retrying is the caller's decision.
 */
export function textStream<TEvent extends { type: string }, TResult>(
  subscribe: (handlers: StreamHandlers) => { unsubscribe(): void },
  shape: StreamShape<TEvent, TResult>,
  options: TextStreamOptions,
): TextStream<TResult> {
  let settle!: { resolve: (r: TResult) => void; reject: (e: unknown) => void };
  const result = new Promise<TResult>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // A caller that only iterates must not get an unhandled rejection from `result`.
  result.catch(() => {});
  let started = false;
  return {
    result,
    [Symbol.asyncIterator]() {
      if (started) throw new Error(`A ${shape.name} stream can be iterated only once`);
      started = true;
      return run(subscribe, shape, options.signal, settle);
    },
  };
}

async function* run<TEvent extends { type: string }, TResult>(
  subscribe: (handlers: StreamHandlers) => { unsubscribe(): void },
  shape: StreamShape<TEvent, TResult>,
  signal: AbortSignal | undefined,
  settle: { resolve: (r: TResult) => void; reject: (e: unknown) => void },
): AsyncGenerator<string, void, undefined> {
  const queue = new AsyncQueue<TEvent>();
  // What arrived so far (queued deltas are still delivered before an error is thrown).
  let received = false;
  let text = '';
  let outcome: 'open' | 'done' | 'failed' = 'open';
  const interrupted = (cause: unknown) =>
    new GatewayClientError('STREAM_INTERRUPTED', 'The connection dropped mid-answer', {
      cause,
      details: { partialText: text },
    });

  if (signal?.aborted) {
    const error = cancelled(shape.name, signal.reason);
    settle.reject(error);
    throw error;
  }
  const onAbort = () => queue.fail(cancelled(shape.name, signal?.reason));
  signal?.addEventListener('abort', onAbort, { once: true });
  let linkClosed = () => {};
  const closed = new Promise<void>((resolve) => {
    linkClosed = resolve;
  });

  const subscription = subscribe({
    onData: (tracked) => {
      const event = untrack(tracked) as TEvent;
      received = true;
      if (event.type !== 'done') text += shape.textOf(event as Exclude<TEvent, { type: 'done' }>);
      queue.push(event);
    },
    onError: (error) => {
      linkClosed();
      const e = GatewayClientError.from(error);
      if (received && e.gatewayCode === 'NETWORK_ERROR') return queue.fail(interrupted(error));
      // The gateway's own STREAM_INTERRUPTED (the upstream broke off) carries what arrived too.
      if (e.gatewayCode === 'STREAM_INTERRUPTED' && e.details?.partialText === undefined) {
        return queue.fail(
          new GatewayClientError(e.gatewayCode, e.message, {
            ...(e.httpStatus === undefined ? {} : { httpStatus: e.httpStatus }),
            details: { ...e.details, partialText: text },
            cause: error,
          }),
        );
      }
      queue.fail(e);
    },
    onComplete: () => {
      linkClosed();
      queue.end();
    },
    onConnectionStateChange: (state) => {
      if (state.state !== 'connecting' || !state.error) return;
      const error = GatewayClientError.from(state.error);
      queue.fail(
        received && error.gatewayCode === 'NETWORK_ERROR' ? interrupted(state.error) : error,
      );
    },
  });

  try {
    for (;;) {
      const event = await queue.next();
      if (event === undefined) {
        throw new GatewayClientError(
          'STREAM_INTERRUPTED',
          'The stream ended without a final result',
          {
            details: { partialText: text },
          },
        );
      }
      if (event.type === 'done') {
        outcome = 'done';
        settle.resolve(shape.resultOf(event as Extract<TEvent, { type: 'done' }>));
        return;
      }
      const delta = shape.textOf(event as Exclude<TEvent, { type: 'done' }>);
      if (delta) yield delta;
    }
  } catch (error) {
    outcome = 'failed';
    settle.reject(error);
    throw error;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    if (outcome === 'done') closeAfterDone(subscription, closed);
    else subscription.unsubscribe();
    // The consumer stopped iterating (`break`, `return()`): that is a cancellation.
    if (outcome === 'open') settle.reject(cancelled(shape.name, undefined));
  }
}

/** Longest wait for the response's end after `done` before the request is aborted. */
const DONE_GRACE_MS = 2_000;

/**
 * The gateway ends the response right after `done`. Reading that end lets fetch keep the
 * connection for the next call; unsubscribing at once would abort the request and close it (a
 * new connection per stream, and a DOMException built per abort).
 */
function closeAfterDone(subscription: { unsubscribe(): void }, closed: Promise<void>): void {
  const timer = setTimeout(() => subscription.unsubscribe(), DONE_GRACE_MS);
  // Node: the wait must not keep a finished process alive (browsers' timers are numbers).
  (timer as { unref?: () => void }).unref?.();
  void closed.then(() => clearTimeout(timer));
}

/** The gateway sends generation events tracked (`{ id, data }`). */
function untrack(event: unknown): unknown {
  const value = event as { id?: unknown; data?: unknown };
  return typeof value.id === 'string' && value.data !== undefined ? value.data : event;
}

function cancelled(name: string, reason: unknown): GatewayClientError {
  return new GatewayClientError('CANCELLED', `The ${name} stream was cancelled`, {
    ...(reason === undefined ? {} : { cause: reason }),
  });
}
