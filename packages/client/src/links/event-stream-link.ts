import { TRPCClientError, type TRPCLink } from '@trpc/client';
import type { AnyTRPCRouter } from '@trpc/server';
import { observable } from '@trpc/server/observable';
import { sseEvents } from './sse-events.js';

export interface EventStreamLinkOptions {
  /** The gateway's tRPC endpoint (`…/trpc`). */
  url: string;
  headers: () => Promise<Record<string, string>>;
  fetch?: typeof globalThis.fetch;
}

/**
 * Subscriptions as one `POST /trpc/<procedure>` whose body is the input and whose answer is a
 * Server-Sent Events stream (the gateway's stream pump). Unlike tRPC's GET SSE link, no input
 * travels in a URL (any prompt up to the gateway's MAX_BODY_BYTES streams, and none lands in an
 * access log), the API key is an ordinary header, and nothing reconnects by itself: a stream that
 * drops fails, and the caller decides whether a generation runs again.
 *
 * Events reach `onData` as tRPC's own links deliver them: `{ id, data }` for tracked events.
 * Unsubscribing (or the call's `signal`) aborts the request; the gateway then closes the
 * upstream request.
 */
export function eventStreamLink<TRouter extends AnyTRPCRouter>(
  options: EventStreamLinkOptions,
): TRPCLink<TRouter> {
  return () =>
    ({ op }) =>
      observable((observer) => {
        const controller = new AbortController();
        const onAbort = () => controller.abort(op.signal?.reason);
        op.signal?.addEventListener('abort', onAbort, { once: true });
        let stopped = false;
        // Read to its end: nothing left to abort (aborting anyway costs a DOMException per stream).
        let drained = false;

        const run = async () => {
          const doFetch = options.fetch ?? globalThis.fetch;
          const response = await doFetch(`${options.url}/${op.path}`, {
            method: 'POST',
            headers: {
              ...(await options.headers()),
              'content-type': 'application/json',
              accept: 'text/event-stream',
            },
            body: JSON.stringify(op.input ?? null),
            signal: controller.signal,
          });
          if (!response.ok || !response.body) throw await refusal(response);
          observer.next({ result: { type: 'started' } });
          for await (const event of sseEvents(response.body)) {
            if (stopped) return;
            const data: unknown = JSON.parse(event.data);
            if (event.event === 'error') {
              throw TRPCClientError.from({ error: data as never });
            }
            observer.next({
              result:
                event.id === undefined ? { data } : { id: event.id, data: { id: event.id, data } },
            });
          }
          drained = true;
          observer.next({ result: { type: 'stopped' } });
          observer.complete();
        };

        run().catch((error: unknown) => {
          if (stopped) return;
          observer.error(
            error instanceof TRPCClientError ? error : TRPCClientError.from(asError(error)),
          );
        });

        return () => {
          stopped = true;
          op.signal?.removeEventListener('abort', onAbort);
          if (!drained) controller.abort();
        };
      });
}

/** A non-2xx answer: the gateway's error shape when it sent one, else the bare status. */
async function refusal(response: Response): Promise<TRPCClientError<never>> {
  const body = (await response.json().catch(() => undefined)) as { error?: unknown } | undefined;
  if (body && typeof body.error === 'object' && body.error !== null) {
    return TRPCClientError.from({ error: body.error as never });
  }
  const error = Object.assign(new Error(`Non-200 status code (${response.status})`), {
    code: response.status,
  });
  return TRPCClientError.from(error);
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
