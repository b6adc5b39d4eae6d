import type { ServerResponse } from 'node:http';
import { type AnyTRPCRouter, callTRPCProcedure, isTrackedEnvelope } from '@trpc/server';
import {
  type OpenStreams,
  pumpStream,
  SSE_HEADERS,
  SSE_PING,
  type StreamWire,
} from '../http/stream-pump.js';
import { failure } from '../http/trpc/rpc.js';
import type { TrpcContext } from '../trpc.js';
import { restErrorBody, sendRestError } from './errors.js';
import type { RestCall } from './input.js';

/**
 * A subscription procedure answered as Server-Sent Events through the shared stream pump:
 *
 *   data: <event JSON>        (one per event, tRPC's event without its tracked id)
 *
 *   event: error              (a failure after the first event)
 *   data: {"error": {…}}      (the REST error body)
 *
 * Generations end with their `done` event. A failure before the first event (unknown model,
 * rate limit, upstream down) is an ordinary REST error answer with its real status.
 */
export async function restStream(
  router: AnyTRPCRouter,
  call: RestCall,
  ctx: TrpcContext,
  res: ServerResponse,
  signal: AbortSignal,
  streams: OpenStreams,
  pingMs: number,
): Promise<void> {
  const noteFailure = (error: unknown) => {
    const outcome = failure(error, call.procedure, 'subscription');
    ctx.record.code ??= outcome.shape.data.gatewayCode;
    return outcome;
  };
  try {
    const source: unknown = await callTRPCProcedure({
      router,
      path: call.procedure,
      type: 'subscription',
      ctx,
      signal,
      batchIndex: 0,
      getRawInput: async () => call.input,
    });
    if (!isAsyncIterable(source)) {
      throw new Error(`${call.procedure} did not return an async iterable`);
    }
    ctx.record.stream = true;
    const wire: StreamWire = {
      headers: SSE_HEADERS,
      ping: SSE_PING,
      errorFrame: (error) =>
        `event: error\ndata: ${JSON.stringify(restErrorBody(noteFailure(error).shape))}\n\n`,
    };
    await pumpStream(res, sseFrames(source), wire, { streams, pingMs });
  } catch (error) {
    if (!res.headersSent) sendRestError(res, noteFailure(error).shape);
  }
}

async function* sseFrames(source: AsyncIterable<unknown>): AsyncGenerator<string> {
  for await (const value of source) {
    const data = isTrackedEnvelope(value) ? value[1] : value;
    yield `data: ${JSON.stringify(data ?? null)}\n\n`;
  }
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] === 'function'
  );
}
