import { toGatewayError } from '@intellicore/llm-core';
import { writeChunk } from '../../http/respond.js';
import { type FrontCall, type FrontDeps, firstOf } from '../front.js';
import { ollamaError } from './errors.js';

/**
 * Streams an iterable as NDJSON, Ollama's way: the first step runs before headers (so early
 * failures answer with a real status); after the first line the status stays 200 and a
 * failure ends the stream with one `{"error": …}` line.
 */
export async function streamNdjson<T>(
  call: FrontCall,
  deps: FrontDeps,
  source: AsyncIterable<T>,
  toLine: (event: T) => Record<string, unknown>,
): Promise<void> {
  const { res, record } = call;
  record.stream = true;
  const { iterator, first } = await firstOf(source);
  res.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-cache' });
  deps.streams.opened();
  try {
    let step = first;
    while (!step.done) {
      await writeChunk(res, `${JSON.stringify(toLine(step.value))}\n`);
      step = await iterator.next();
    }
    res.end();
  } catch (thrown) {
    const error = toGatewayError(thrown);
    record.code = error.code;
    if (!res.writableEnded && !res.destroyed) res.end(`${JSON.stringify(ollamaError(error))}\n`);
  } finally {
    deps.streams.closed();
    await iterator.return?.();
  }
}
