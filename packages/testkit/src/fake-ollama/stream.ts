import type { Exchange } from './exchange.js';

/** How lines of one protocol look on the wire: Ollama NDJSON or OpenAI SSE. */
export interface WireFormat {
  contentType: string;
  line(obj: unknown): string;
  errorLine(message: string): string;
  /** A line no JSON parser accepts (the malformed-line fault). */
  malformed: string;
  /** Written after the closing lines of a successful stream (SSE `data: [DONE]`). */
  trailer?: string;
}

export const NDJSON: WireFormat = {
  contentType: 'application/x-ndjson',
  line: (obj) => `${JSON.stringify(obj)}\n`,
  errorLine: (message) => `${JSON.stringify({ error: message })}\n`,
  malformed: '{"model":"fake","message":{"role":"assistant","content":"unterminated\n',
};

export const SSE: WireFormat = {
  contentType: 'text/event-stream',
  line: (obj) => `data: ${JSON.stringify(obj)}\n\n`,
  errorLine: (message) =>
    `data: ${JSON.stringify({ error: { message, type: 'api_error', param: null, code: null } })}\n\n`,
  malformed: 'data: {"id":"chatcmpl-broken","choices":[{"delta":\n\n',
  trailer: 'data: [DONE]\n\n',
};

/** What a route produces: content chunks, then closing lines computed at the end (or an error). */
export interface Generation {
  /** Chunk objects, or functions making them at write time (so `created_at` is the real time). */
  chunks: unknown[];
  /** Called after the chunks were sent, so that durations can be measured. */
  final(): unknown[] | { error: string };
  /** The body of a non-streamed answer (default: the last closing line). */
  aggregate?(closing: unknown[]): unknown;
}

/**
 * Sends a generation, streamed or not, applying the stream faults of the exchange: delay per
 * chunk, error line / drop / clean end / malformed line after N chunks.
 */
export async function sendGeneration(
  ex: Exchange,
  gen: Generation,
  stream: boolean,
  wire: WireFormat,
  defaultChunkDelayMs: number,
): Promise<void> {
  const f = ex.fault;
  const delay = f?.chunkDelayMs ?? defaultChunkDelayMs;
  if (!stream) return sendWhole(ex, gen, delay);
  const { res } = ex;
  let started = false;
  let malformedSent = false;
  const write = async (text: string): Promise<boolean> => {
    if (ex.closed) return false;
    if (!started) {
      started = true;
      ex.head(200, wire.contentType);
    }
    if (res.write(text)) return true;
    return ex.drain();
  };
  /** Applies the after-N-chunks faults; false when the stream must stop here. */
  const checkpoint = async (sent: number, atEnd: boolean): Promise<boolean> => {
    if (!f) return true;
    const due = (n: number | undefined) => n !== undefined && (sent >= n || atEnd);
    if (due(f.malformedLineAfterChunks) && !malformedSent) {
      malformedSent = true;
      if (!(await write(wire.malformed))) return false;
    }
    if (due(f.errorAfterChunks)) {
      if (await write(wire.errorLine(f.errorMessage ?? 'fake error after chunks'))) ex.finish();
      return false;
    }
    if (due(f.dropAfterChunks)) {
      if (!started) await write('');
      ex.drop();
      return false;
    }
    if (due(f.endAfterChunks)) {
      if (!started) await write('');
      ex.finish();
      return false;
    }
    return true;
  };

  let sent = 0;
  for (const chunk of gen.chunks) {
    if (!(await checkpoint(sent, false))) return;
    if (delay > 0 && !(await ex.sleep(delay))) return;
    if (!(await write(wire.line(typeof chunk === 'function' ? chunk() : chunk)))) return;
    sent++;
  }
  if (!(await checkpoint(sent, true))) return;
  const closing = gen.final();
  if (!Array.isArray(closing)) {
    if (await write(wire.errorLine(closing.error))) ex.finish();
    return;
  }
  let tail = '';
  for (const line of closing) tail += wire.line(line);
  if (wire.trailer) tail += wire.trailer;
  if (await write(tail)) ex.finish();
}

async function sendWhole(ex: Exchange, gen: Generation, delay: number): Promise<void> {
  const f = ex.fault;
  const n = gen.chunks.length;
  const cut = (k: number | undefined) => k !== undefined && k <= n;
  const stopAt = Math.min(
    ...[f?.errorAfterChunks, f?.dropAfterChunks, f?.endAfterChunks].map((k) => (cut(k) ? k! : n)),
  );
  if (delay > 0) for (let i = 0; i < stopAt; i++) if (!(await ex.sleep(delay))) return;
  if (f?.errorAfterChunks !== undefined) {
    return ex.error(500, f.errorMessage ?? 'fake error after chunks');
  }
  if (f?.dropAfterChunks !== undefined || f?.endAfterChunks !== undefined) return ex.drop();
  if (f?.malformedLineAfterChunks !== undefined) {
    return ex.send(200, 'application/json; charset=utf-8', '{"model":"fake","message":');
  }
  const closing = gen.final();
  if (!Array.isArray(closing)) return ex.error(500, closing.error);
  ex.json(200, gen.aggregate ? gen.aggregate(closing) : closing[closing.length - 1]);
}
