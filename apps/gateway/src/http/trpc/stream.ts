import type { ServerResponse } from 'node:http';
import { type AnyTRPCRouter, callTRPCProcedure, isTrackedEnvelope } from '@trpc/server';
import type { TrpcContext } from '../../trpc.js';
import {
  type OpenStreams,
  pumpStream,
  SSE_HEADERS,
  SSE_PING,
  type StreamWire,
} from '../stream-pump.js';
import { failure, type RpcCall, writeOutcomes } from './rpc.js';

/**
 * A subscription asked for with `POST` (the SDK's streams): the input travels in the body, so
 * any prompt that fits MAX_BODY_BYTES streams, and nothing of it lands in a URL or access log.
 * The answer is Server-Sent Events written by the shared stream pump:
 *
 *   id: <tracked id>          (for tracked events)
 *   data: <event JSON>
 *
 *   event: error              (a failure after the first event; the gateway's error shape)
 *   data: <error shape JSON>
 *
 * A failure before the first event is an ordinary tRPC error answer with its real status.
 * The stream ends when the response ends; there is no reconnect: a dropped connection is the
 * caller's to handle (a generation is never run twice).
 */
export async function streamCall(
  router: AnyTRPCRouter,
  call: RpcCall,
  ctx: TrpcContext,
  res: ServerResponse,
  signal: AbortSignal,
  streams: OpenStreams,
  pingMs: number,
): Promise<void> {
  const record = ctx.record;
  const noteFailure = (error: unknown) => {
    const outcome = failure(error, call.path, 'subscription');
    record.code ??= outcome.shape.data.gatewayCode;
    return outcome;
  };
  try {
    const source: unknown = await callTRPCProcedure({
      router,
      path: call.path,
      type: 'subscription',
      ctx,
      signal,
      batchIndex: 0,
      getRawInput: async () => call.input,
    });
    if (!isAsyncIterable(source)) throw new Error(`${call.path} did not return an async iterable`);
    record.stream = true;
    const wire: StreamWire = {
      headers: SSE_HEADERS,
      ping: SSE_PING,
      errorFrame: (error) => `event: error\ndata: ${JSON.stringify(noteFailure(error).shape)}\n\n`,
    };
    await pumpStream(res, sseFrames(source), wire, { streams, pingMs });
  } catch (error) {
    // Nothing was written yet: a plain tRPC error answer with the status of its code.
    if (!res.headersSent) writeOutcomes(res, [noteFailure(error)], false);
  }
}

async function* sseFrames(source: AsyncIterable<unknown>): AsyncGenerator<string> {
  for await (const value of source) {
    if (isTrackedEnvelope(value)) {
      const [id, data] = value;
      yield `id: ${String(id).replace(/[\r\n]/g, '')}\ndata: ${JSON.stringify(data)}\n\n`;
    } else {
      yield `data: ${JSON.stringify(value ?? null)}\n\n`;
    }
  }
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] === 'function'
  );
}
