/**
 * The body of an upstream response as the ollama client reads it (`body.getReader().read()`),
 * without WHATWG streams: reads are timed (the call's idle timeout), nothing is read ahead of the
 * client, and NDJSON streams are re-framed line by line: a malformed line stops the stream after
 * the valid lines before it were delivered, an `{"error"}` line and the `done` line are recorded
 * for error typing and keep-alive draining.
 */
import { StringDecoder } from 'node:string_decoder';
import type { CallOutcome } from './call-outcome.js';
import type { ChunkSource } from './chunk-source.js';

export interface BodyHooks {
  ndjson: boolean;
  outcome: CallOutcome;
  arm(): void;
  disarm(): void;
  onDone(): void;
  abortUpstream(): void;
}

/** One parsed NDJSON line. */
export type WireRecord = {
  error?: unknown;
  done?: unknown;
  status?: unknown;
  [key: string]: unknown;
} | null;

type ReadResult = { done: true; value?: undefined } | { done: false; value: Uint8Array };

/** The part of a ReadableStream the ollama client uses. */
export interface BodyStream {
  getReader(): {
    read(): Promise<ReadResult>;
    releaseLock(): void;
    cancel(reason?: unknown): Promise<void>;
  };
}

export interface WrappedBody {
  body: BodyStream;
  /** The whole body as text (for `response.json()` / `text()`). */
  text(): Promise<string>;
  /** The NDJSON lines parsed once, without the client's re-framing (the hot chat path). */
  records(): AsyncGenerator<WireRecord>;
  /** Reads what is left of a finished response (its terminator) so the socket can be reused. */
  drain(): Promise<void>;
}

const DONE: ReadResult = { done: true };

export function wrapBody(source: ChunkSource, hooks: BodyHooks): WrappedBody {
  // StringDecoder: keeps a multi-byte character split across chunks whole, cheaper than
  // TextDecoder's streaming mode in Node 20.
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let deferredError: Error | undefined;
  let finished = false;
  let reading = false;

  /**
   * Splits complete lines off `pending` and hands each valid one to `take`; records the first
   * bad one (the lines before it are still delivered).
   */
  const takeLines = (final: boolean, take: (line: string, record: WireRecord) => void): void => {
    const end = final ? pending.length : pending.lastIndexOf('\n') + 1;
    if (end === 0) return;
    const complete = pending.slice(0, end);
    pending = pending.slice(end);
    let start = 0;
    while (start < complete.length) {
      let stop = complete.indexOf('\n', start);
      if (stop === -1) stop = complete.length;
      const line = complete.slice(start, stop);
      start = stop + 1;
      if (line.trim() === '') continue;
      let record: WireRecord;
      try {
        record = JSON.parse(line);
      } catch {
        hooks.outcome.malformedLine = line.slice(0, 200);
        deferredError = new Error('Upstream sent a malformed stream line');
        hooks.abortUpstream();
        break;
      }
      if (typeof record?.error === 'string') hooks.outcome.errorLine = record.error;
      if (record?.done === true || record?.status === 'success') hooks.outcome.sawDone = true;
      take(line, record);
    }
  };

  /** The valid lines as NDJSON text again (for the ollama client). */
  const linesText = (final: boolean): string => {
    let out = '';
    takeLines(final, (line) => {
      out += `${line}\n`;
    });
    return out;
  };

  /** One timed read of the source. */
  const readChunk = async (): Promise<Uint8Array | null> => {
    hooks.arm();
    try {
      const chunk = await source.read();
      if (chunk === null) {
        finished = true;
        hooks.onDone();
      }
      return chunk;
    } finally {
      hooks.disarm();
    }
  };

  /** The next piece for the client: raw chunks, or whole valid NDJSON lines. */
  const next = async (): Promise<ReadResult> => {
    reading = true;
    try {
      for (;;) {
        if (deferredError) throw deferredError;
        if (finished) return DONE;
        const chunk = await readChunk();
        if (!hooks.ndjson) return chunk === null ? DONE : { done: false, value: chunk };
        if (chunk === null) {
          pending += decoder.end();
          const rest = linesText(true);
          // Deliver the valid lines first; the next read raises a deferred error.
          if (rest) return { done: false, value: Buffer.from(rest) };
          if (deferredError) throw deferredError;
          return DONE;
        }
        pending += decoder.write(chunk);
        const lines = linesText(false);
        if (lines) return { done: false, value: Buffer.from(lines) };
      }
    } finally {
      reading = false;
    }
  };

  const body: BodyStream = {
    getReader: () => ({
      read: next,
      releaseLock() {},
      cancel: async () => {
        hooks.abortUpstream();
      },
    }),
  };

  const text = async (): Promise<string> => {
    const chunks: Uint8Array[] = [];
    for (;;) {
      const piece = await next();
      if (piece.done) break;
      chunks.push(piece.value);
    }
    const whole = chunks.length === 1 ? (chunks[0] as Uint8Array) : Buffer.concat(chunks);
    return Buffer.from(whole.buffer, whole.byteOffset, whole.byteLength).toString('utf8');
  };

  const drain = async (): Promise<void> => {
    if (finished) return;
    if (reading) {
      hooks.abortUpstream();
      return;
    }
    try {
      while ((await readChunk()) !== null) {
        // discard: only the end of a finished response is left
      }
    } catch {
      hooks.abortUpstream();
    }
  };

  async function* records(): AsyncGenerator<WireRecord> {
    const batch: WireRecord[] = [];
    const push = (_line: string, record: WireRecord) => {
      batch.push(record);
    };
    for (;;) {
      if (deferredError) throw deferredError;
      if (finished) return;
      reading = true;
      let chunk: Uint8Array | null;
      try {
        chunk = await readChunk();
      } finally {
        reading = false;
      }
      if (chunk === null) {
        pending += decoder.end();
        takeLines(true, push);
      } else {
        pending += decoder.write(chunk);
        takeLines(false, push);
      }
      for (const record of batch) yield record;
      batch.length = 0;
    }
  }

  return { body, text, records, drain };
}
