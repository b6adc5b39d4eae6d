import type { ServerResponse } from 'node:http';
import { type AnyTRPCRouter, callTRPCProcedure, isTrackedEnvelope } from '@trpc/server';
import type { TrpcContext } from '../../trpc.js';
import type { GatewayErrorShape } from '../../trpc-error-format.js';
import {
  type OpenStreams,
  pumpStream,
  SSE_HEADERS,
  SSE_PING,
  type StreamWire,
} from '../stream-pump.js';
import { failure, type RpcCall, type RpcOutcome, writeOutcomes } from './rpc.js';

type FailedCall = Extract<RpcOutcome, { ok: false }>;

/** How a door frames a subscription as Server-Sent Events. */
export interface EventStreamFormat {
  /** Send tRPC's tracked ids as SSE `id:` fields (tRPC door) or leave them out (REST). */
  ids: boolean;
  /** The `data` of the `event: error` that ends a stream failing after its first event. */
  errorData(shape: GatewayErrorShape): unknown;
  /** The answer to a failure before the first event (nothing is written yet). */
  refuse(res: ServerResponse, failed: FailedCall): void;
}

export interface EventStreamOptions {
  streams: OpenStreams;
  pingMs: number;
}

/** The tRPC door's format: ids kept, errors in the gateway's tRPC error shape. */
export const TRPC_EVENT_STREAM: EventStreamFormat = {
  ids: true,
  errorData: (shape) => shape,
  refuse: (res, failed) => writeOutcomes(res, [failed], false),
};

/**
 * A subscription procedure answered as Server-Sent Events through the shared stream pump — the
 * SDK's POST streams and the REST front's `"stream": true`. The input came in the request body,
 * so any prompt that fits MAX_BODY_BYTES streams and none of it lands in a URL:
 *
 *   id: <tracked id>          (tracked events, when the format keeps ids)
 *   data: <event JSON>
 *
 *   event: error              (a failure after the first event)
 *   data: <error JSON>
 *
 * A failure before the first event is the door's ordinary error answer with its real status.
 * The stream ends when the response ends; there is no reconnect: a dropped connection is the
 * caller's to handle (a generation is never run twice).
 */
export async function streamSubscription(
  router: AnyTRPCRouter,
  call: RpcCall,
  ctx: TrpcContext,
  res: ServerResponse,
  signal: AbortSignal,
  format: EventStreamFormat,
  options: EventStreamOptions,
): Promise<void> {
  const noteFailure = (error: unknown): FailedCall => {
    const outcome = failure(error, call.path, 'subscription');
    ctx.record.code ??= outcome.shape.data.gatewayCode;
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
    ctx.record.stream = true;
    const wire: StreamWire = {
      headers: SSE_HEADERS,
      ping: SSE_PING,
      errorFrame: (error) =>
        `event: error\ndata: ${JSON.stringify(format.errorData(noteFailure(error).shape))}\n\n`,
    };
    await pumpStream(res, sseFrames(source, format.ids), wire, options);
  } catch (error) {
    if (!res.headersSent) format.refuse(res, noteFailure(error));
  }
}

async function* sseFrames(source: AsyncIterable<unknown>, ids: boolean): AsyncGenerator<string> {
  for await (const value of source) {
    if (!isTrackedEnvelope(value)) {
      yield `data: ${JSON.stringify(value ?? null)}\n\n`;
      continue;
    }
    const [id, data] = value;
    const data_ = `data: ${JSON.stringify(data ?? null)}\n\n`;
    yield ids ? `id: ${String(id).replace(/[\r\n]/g, '')}\n${data_}` : data_;
  }
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] === 'function'
  );
}
