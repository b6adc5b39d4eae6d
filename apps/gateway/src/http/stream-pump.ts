import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

/** How one door frames a stream on the wire (SSE, NDJSON, …). */
export interface StreamWire {
  /** Head of the 200 answer (content type, no-cache, …). */
  readonly headers: OutgoingHttpHeaders;
  /** The last frame when the source fails after the head went out (an error event or line);
   * it is given what the source threw. */
  errorFrame(error: unknown): string;
  /** Written after `pingMs` without a frame (an SSE comment); absent: the door never pings. */
  readonly ping?: string;
}

/** The open-streams gauge (metrics; graceful shutdown waits for the connections anyway). */
export interface OpenStreams {
  opened(): void;
  closed(): void;
}

export interface PumpOptions {
  streams: OpenStreams;
  /** Keep-alive interval for wires that ping (SSE_PING_MS). */
  pingMs?: number;
  /** Told what the source threw after the head went out (e.g. to note its code). */
  onFailure?(error: unknown): void;
}

/** One shared, already-resolved promise: "nothing to wait for". */
const READY = Promise.resolve();

/**
 * The one stream writer of every streaming door (tRPC streams, `/v1` SSE, `/api` NDJSON, REST).
 *
 * - The first frame is produced before the head is written, so a failure that happens before
 *   any output (model not found, rate limited, upstream down) throws to the caller, which answers
 *   with a real status and error body.
 * - When the client goes away the pump stops at once: it never waits for a `drain` that cannot
 *   come (it races every wait with the response's `close`), and `return()`s the source, which
 *   closes the upstream request and releases its slot and queue place. A source blocked waiting
 *   for the upstream is ended by the request's abort signal (every door passes one to core).
 * - The gauge goes up once the head is out and always comes back down.
 */
export async function pumpStream(
  res: ServerResponse,
  frames: AsyncIterable<string>,
  wire: StreamWire,
  options: PumpOptions,
): Promise<void> {
  const iterator = frames[Symbol.asyncIterator]();
  let step = await iterator.next();
  let gone = res.destroyed;
  const markGone = () => {
    gone = true;
  };
  res.once('close', markGone);

  res.writeHead(200, wire.headers);
  options.streams.opened();
  let lastWrite = performance.now();
  const pinger =
    wire.ping && options.pingMs
      ? setInterval(() => {
          if (!gone && performance.now() - lastWrite >= (options.pingMs ?? 0) - 5) {
            lastWrite = performance.now();
            res.write(wire.ping);
          }
        }, options.pingMs)
      : undefined;
  pinger?.unref();

  /** Writes a frame; resolves when the socket takes more, or at once when the client is gone. */
  const write = (frame: string): Promise<void> => {
    lastWrite = performance.now();
    // After `close` neither `drain` nor `close` comes again: never wait then.
    if (res.write(frame) || gone) return READY;
    return new Promise<void>((resolve) => {
      const done = () => {
        res.off('drain', done);
        res.off('close', done);
        resolve();
      };
      res.on('drain', done);
      res.on('close', done);
    });
  };

  try {
    while (!step.done && !gone) {
      await write(step.value);
      if (gone) break;
      step = await iterator.next();
    }
    if (!gone) res.end();
  } catch (error) {
    step = { done: true, value: undefined };
    options.onFailure?.(error);
    if (!gone && !res.writableEnded) res.end(wire.errorFrame(error));
  } finally {
    if (pinger) clearInterval(pinger);
    res.off('close', markGone);
    options.streams.closed();
    // Stopped early (client gone): closing the source releases the upstream request and slot.
    if (!step.done) await iterator.return?.().catch(() => undefined);
  }
}

/** The head of a Server-Sent Events answer (proxies must neither buffer nor transform it). */
export const SSE_HEADERS: OutgoingHttpHeaders = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
};

/** An SSE comment: ignored by every SSE parser, keeps idle connections open through proxies. */
export const SSE_PING = ': ping\n\n';
