/**
 * A response body as a pull source of byte chunks: `read()` resolves with the next chunk or
 * `null` at the end, and `fail()` rejects a pending read at once (the call was aborted, whatever
 * the transport does about it). Read-ahead is bounded: a Node body is paused once a few chunks
 * wait unread (pausing after every chunk cost a pause/resume tick pair per chunk).
 */
import type { Readable } from 'node:stream';

export interface ChunkSource {
  read(): Promise<Uint8Array | null>;
  /** Rejects the pending and every later read with `error`; releases the body. */
  fail(error: Error): void;
}

/** Chunks a Node body may buffer ahead of its reader before it is paused. */
const READ_AHEAD_CHUNKS = 16;

/** Over a Node stream (an http response body): no web streams, bounded read-ahead. */
export function nodeChunkSource(stream: Readable): ChunkSource {
  const queue: Buffer[] = [];
  let ended = false;
  let failure: Error | undefined;
  let resolveWaiter: ((chunk: Uint8Array | null) => void) | undefined;
  let rejectWaiter: ((error: Error) => void) | undefined;

  const settle = () => {
    const resolve = resolveWaiter;
    const reject = rejectWaiter;
    if (!resolve || !reject) return;
    if (failure) {
      resolveWaiter = rejectWaiter = undefined;
      reject(failure);
    } else if (queue.length > 0) {
      resolveWaiter = rejectWaiter = undefined;
      resolve(queue.shift() as Buffer);
    } else if (ended) {
      resolveWaiter = rejectWaiter = undefined;
      resolve(null);
    }
  };
  stream.on('data', (chunk: Buffer) => {
    queue.push(chunk);
    if (queue.length >= READ_AHEAD_CHUNKS) stream.pause();
    settle();
  });
  stream.on('end', () => {
    ended = true;
    settle();
  });
  stream.on('error', (error: Error) => {
    failure ??= error;
    settle();
  });

  return {
    read() {
      if (failure) return Promise.reject(failure);
      const next = queue.shift();
      if (next) return Promise.resolve(next);
      if (ended) return Promise.resolve(null);
      return new Promise<Uint8Array | null>((resolve, reject) => {
        resolveWaiter = resolve;
        rejectWaiter = reject;
        if (stream.isPaused()) stream.resume();
      });
    },
    fail(error) {
      failure ??= error;
      queue.length = 0;
      if (!stream.destroyed) stream.destroy();
      settle();
    },
  };
}

/** Over a WHATWG stream (a custom `fetch`'s body): a pending read loses the race with `fail`. */
export function webChunkSource(stream: ReadableStream<Uint8Array>): ChunkSource {
  const reader = stream.getReader();
  let failure: Error | undefined;
  let rejectWaiter: ((error: Error) => void) | undefined;
  return {
    read() {
      if (failure) return Promise.reject(failure);
      return new Promise<Uint8Array | null>((resolve, reject) => {
        rejectWaiter = reject;
        reader.read().then(
          (result) => {
            rejectWaiter = undefined;
            resolve(result.done ? null : result.value);
          },
          (error: unknown) => {
            rejectWaiter = undefined;
            reject(error);
          },
        );
      });
    },
    fail(error) {
      if (failure) return;
      failure = error;
      reader.cancel(error).catch(() => {});
      rejectWaiter?.(error);
      rejectWaiter = undefined;
    },
  };
}
