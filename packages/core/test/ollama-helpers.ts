/** Shared bits of the Ollama provider suites (not a test file). */
import { getEventListeners } from 'node:events';
import type { GatewayError } from '../src/errors.js';

/** Collects a stream; on failure returns what arrived before it plus the error. */
export async function drain<T>(
  events: AsyncIterable<T>,
): Promise<{ items: T[]; error?: GatewayError }> {
  const items: T[] = [];
  try {
    for await (const e of events) items.push(e);
    return { items };
  } catch (error) {
    return { items, error: error as GatewayError };
  }
}

export async function rejection(promise: Promise<unknown>): Promise<GatewayError> {
  try {
    await promise;
  } catch (error) {
    return error as GatewayError;
  }
  throw new Error('expected a rejection');
}

/**
 * Open client-side TCP sockets of this process (the fake's server-side ends are not counted:
 * they are the fake's business). `_getActiveHandles` is Node's own view of live handles.
 */
export function clientSockets(): number {
  const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
  return handles.filter((h) => {
    const s = h as {
      constructor?: { name?: string };
      server?: unknown;
      destroyed?: boolean;
      remotePort?: number;
    };
    return (
      s.constructor?.name === 'Socket' && !s.server && !s.destroyed && s.remotePort !== undefined
    );
  }).length;
}

export function abortListeners(signal: AbortSignal): number {
  return getEventListeners(signal, 'abort').length;
}

/** A fetch that hands the body over one byte at a time: every multi-byte character is split. */
export const byteByByteFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  if (!response.body) return response;
  const reader = response.body.getReader();
  let pending: Uint8Array | undefined;
  let offset = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(ctrl) {
      if (!pending || offset >= pending.length) {
        const next = await reader.read();
        if (next.done) return ctrl.close();
        pending = next.value;
        offset = 0;
      }
      ctrl.enqueue(pending.subarray(offset, offset + 1));
      offset++;
    },
    cancel: (reason) => reader.cancel(reason),
  });
  return new Response(body, { status: response.status, headers: response.headers });
};

/** A fetch whose response body goes silent (but stays open) after its first read. */
export const stallAfterFirstReadFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  if (!response.body) return response;
  const reader = response.body.getReader();
  let reads = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(ctrl) {
      if (reads++ > 0) return new Promise<void>(() => {}); // silence until cancelled
      const next = await reader.read();
      if (next.done) ctrl.close();
      else ctrl.enqueue(next.value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
  return new Response(body, { status: response.status, headers: response.headers });
};
