import { AsyncQueue } from './async-queue.js';
import type { GatewayClient } from './create-client.js';
import { GatewayClientError } from './errors.js';
import type { RouterInputs, RouterOutputs } from './router-types.js';

type YieldOf<T> = T extends AsyncIterable<infer U> ? U : T;
/** The gateway sends every stream event with a tracked id (`{ id, data }`). */
type Untracked<T> = T extends { id: string; data: infer D } ? D : T;

export type ChatStreamInput = RouterInputs['chat']['stream'];
/** One event of `chat.stream`: `delta`s (text), then exactly one `done` with the final result. */
export type ChatStreamEvent = Untracked<YieldOf<RouterOutputs['chat']['stream']>>;
/** The final result: the whole `message`, `usage` (tokens), `timings` (durationMs, ttftMs, …). */
export type ChatStreamResult = Extract<ChatStreamEvent, { type: 'done' }>['result'];

export interface ChatStream extends AsyncIterable<string> {
  /**
   * Settles when the stream ends: the final result, or a GatewayClientError (CANCELLED on abort
   * or early `break`, STREAM_INTERRUPTED when the connection dropped mid-answer). Awaiting it is
   * optional; iterating is what drives the stream.
   */
  readonly result: Promise<ChatStreamResult>;
}

export interface ChatStreamOptions {
  /** Aborting closes the SSE connection; the gateway then closes the upstream request. */
  signal?: AbortSignal;
}

/**
 * Streams a chat as text deltas:
 *
 *   const stream = chatStream(client, { model, messages });
 *   for await (const text of stream) process.stdout.write(text);
 *   const { usage, timings } = await stream.result;
 *
 * Reconnect rule: tRPC's SSE link reconnects after a dropped connection or a 5xx-class error,
 * which for a generation would silently run the prompt again. This helper never lets it: the
 * first reconnect attempt ends the stream with an error (STREAM_INTERRUPTED once text arrived,
 * else the gateway's code) and closes the connection. Retrying is the caller's decision.
 */
export function chatStream(
  client: GatewayClient,
  input: ChatStreamInput,
  options: ChatStreamOptions = {},
): ChatStream {
  let settle!: { resolve: (r: ChatStreamResult) => void; reject: (e: unknown) => void };
  const result = new Promise<ChatStreamResult>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // A caller that only iterates must not get an unhandled rejection from `result`.
  result.catch(() => {});
  let started = false;

  return {
    result,
    [Symbol.asyncIterator]() {
      if (started) throw new Error('A chat stream can be iterated only once');
      started = true;
      return run(client, input, options.signal, settle);
    },
  };
}

async function* run(
  client: GatewayClient,
  input: ChatStreamInput,
  signal: AbortSignal | undefined,
  settle: { resolve: (r: ChatStreamResult) => void; reject: (e: unknown) => void },
): AsyncGenerator<string, void, undefined> {
  const queue = new AsyncQueue<ChatStreamEvent>();
  // What arrived so far (queued deltas are still delivered before an error is thrown).
  let received = false;
  let text = '';
  let outcome: 'open' | 'done' | 'failed' = 'open';

  if (signal?.aborted) {
    const error = cancelled(signal.reason);
    settle.reject(error);
    throw error;
  }
  const onAbort = () => queue.fail(cancelled(signal?.reason));
  signal?.addEventListener('abort', onAbort, { once: true });

  const subscription = client.chat.stream.subscribe(input, {
    onData: (tracked) => {
      const event = untrack(tracked);
      received = true;
      if (event.type === 'delta') text += event.content;
      queue.push(event);
    },
    onError: (error) => queue.fail(GatewayClientError.from(error)),
    onComplete: () => queue.end(),
    onConnectionStateChange: (state) => {
      if (state.state !== 'connecting' || !state.error) return;
      const error = GatewayClientError.from(state.error);
      queue.fail(
        received && error.gatewayCode === 'NETWORK_ERROR'
          ? new GatewayClientError('STREAM_INTERRUPTED', 'The connection dropped mid-answer', {
              cause: state.error,
              details: { partialText: text },
            })
          : error,
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
        settle.resolve(event.result);
        return;
      }
      if (event.content) yield event.content;
    }
  } catch (error) {
    outcome = 'failed';
    settle.reject(error);
    throw error;
  } finally {
    subscription.unsubscribe();
    signal?.removeEventListener('abort', onAbort);
    // The consumer stopped iterating (`break`, `return()`): that is a cancellation.
    if (outcome === 'open') settle.reject(cancelled(undefined));
  }
}

function untrack(event: unknown): ChatStreamEvent {
  const value = event as { id?: unknown; data?: unknown };
  return (
    typeof value.id === 'string' && value.data !== undefined ? value.data : event
  ) as ChatStreamEvent;
}

function cancelled(reason: unknown): GatewayClientError {
  return new GatewayClientError('CANCELLED', 'The chat stream was cancelled', {
    ...(reason === undefined ? {} : { cause: reason }),
  });
}
