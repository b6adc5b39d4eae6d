import { toGatewayError } from '@intellicore/llm-core';
import type { StreamWire } from '../../http/stream-pump.js';
import { pumpFrames } from '../chat-frames.js';
import type { FrontCall, FrontDeps } from '../front.js';
import { ollamaError } from './errors.js';

/** Ollama's streams: one JSON object per line; a failure after the first line is an error line. */
const NDJSON_WIRE: StreamWire = {
  headers: { 'content-type': 'application/x-ndjson', 'cache-control': 'no-cache' },
  errorFrame: (error) => `${JSON.stringify(ollamaError(toGatewayError(error)))}\n`,
};

/**
 * Streams an iterable as NDJSON, Ollama's way, through the shared stream pump: failures before
 * the first line answer with a real status; after it the status stays 200 and a failure ends the
 * stream with one `{"error": …}` line.
 */
export async function streamNdjson<T>(
  call: FrontCall,
  deps: FrontDeps,
  source: AsyncIterable<T>,
  toLine: (event: T) => Record<string, unknown>,
): Promise<void> {
  await pumpFrames(call, deps, lines(source, toLine), NDJSON_WIRE);
}

async function* lines<T>(
  source: AsyncIterable<T>,
  toLine: (event: T) => Record<string, unknown>,
): AsyncGenerator<string> {
  for await (const event of source) yield `${JSON.stringify(toLine(event))}\n`;
}
