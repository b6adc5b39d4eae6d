import { ChatFold, GatewayError, GenerateFold } from '@intellicore/llm-core';
import { tracked } from '@trpc/server';
import type { z } from 'zod';
import type {
  ChatStreamEventOutput,
  chatStreamInputSchema,
  GenerateStreamEventOutput,
  generateStreamInputSchema,
} from '../schemas/index.js';
import { shapeChat, shapeGenerate } from '../shape.js';
import { asTrpcError, type TrpcContext } from '../trpc.js';
import { coreContext, type RouterDeps } from './deps.js';

/**
 * The reconnect rule of every generation stream (chat.stream, chat.generateStream):
 *
 * - Every event carries a tRPC `tracked()` id `<requestId>:<seq>`.
 * - Errors end the subscription with a final (non-retryable) error; tRPC's SSE link therefore
 *   never reconnects on a server-reported failure.
 * - When the connection itself drops, the client reconnects with `lastEventId`. The gateway
 *   never re-runs the generation then (that would silently bill and answer twice): it ends
 *   the subscription with STREAM_INTERRUPTED, `details.lastEventId` naming the last event the
 *   client got. The caller decides whether to start a new request.
 */
export function refuseReconnect(lastEventId: string): never {
  throw asTrpcError(
    new GatewayError(
      'STREAM_INTERRUPTED',
      'The stream was interrupted; a generation is never re-run on reconnect. Start a new request.',
      { details: { lastEventId } },
    ),
  );
}

function noteFailure(ctx: TrpcContext, error: unknown) {
  ctx.record.code = error instanceof GatewayError ? error.code : 'INTERNAL';
}

export async function* chatEvents(
  deps: RouterDeps,
  input: z.infer<typeof chatStreamInputSchema>,
  ctx: TrpcContext,
  signal: AbortSignal | undefined,
): AsyncGenerator<ReturnType<typeof tracked<ChatStreamEventOutput>>> {
  const { lastEventId, noCache, ...request } = input;
  if (lastEventId) refuseReconnect(lastEventId);
  const startedAt = performance.now();
  ctx.record.model = request.model;
  ctx.record.stream = true;
  if (deps.logPrompts) ctx.record.prompt = request.messages;
  let seq = 0;
  let ttftMs: number | undefined;
  // The `done` event carries the whole answer, so a client needs nothing but the last event.
  const fold = new ChatFold();
  try {
    for await (const event of deps.service.chatStream(request, coreContext(ctx, signal, noCache))) {
      const m = event.message;
      fold.add(event);
      if (!event.done) {
        ttftMs ??= performance.now() - startedAt;
        const delta: ChatStreamEventOutput = { type: 'delta', content: m.content };
        if (m.thinking) delta.thinking = m.thinking;
        if (m.toolCalls?.length) delta.toolCalls = m.toolCalls;
        yield tracked(`${ctx.requestId}:${seq++}`, delta);
      } else {
        if (deps.logPrompts) ctx.record.completion = fold.content;
        const result = shapeChat(fold.result(event), startedAt, ctx.record, event.ttftMs ?? ttftMs);
        yield tracked(`${ctx.requestId}:${seq++}`, { type: 'done' as const, result });
      }
    }
  } catch (error) {
    noteFailure(ctx, error);
    throw asTrpcError(error);
  }
}

export async function* generateEvents(
  deps: RouterDeps,
  input: z.infer<typeof generateStreamInputSchema>,
  ctx: TrpcContext,
  signal: AbortSignal | undefined,
): AsyncGenerator<ReturnType<typeof tracked<GenerateStreamEventOutput>>> {
  const { lastEventId, noCache, ...request } = input;
  if (lastEventId) refuseReconnect(lastEventId);
  const startedAt = performance.now();
  ctx.record.model = request.model;
  ctx.record.stream = true;
  if (deps.logPrompts) ctx.record.prompt = request.prompt;
  let seq = 0;
  let ttftMs: number | undefined;
  const fold = new GenerateFold();
  try {
    for await (const event of deps.service.generateStream(
      request,
      coreContext(ctx, signal, noCache),
    )) {
      fold.add(event);
      if (!event.done) {
        ttftMs ??= performance.now() - startedAt;
        const delta: GenerateStreamEventOutput = { type: 'delta', response: event.response };
        if (event.thinking) delta.thinking = event.thinking;
        yield tracked(`${ctx.requestId}:${seq++}`, delta);
      } else {
        if (deps.logPrompts) ctx.record.completion = fold.response;
        const result = shapeGenerate(
          fold.result(event),
          startedAt,
          ctx.record,
          event.ttftMs ?? ttftMs,
        );
        yield tracked(`${ctx.requestId}:${seq++}`, { type: 'done' as const, result });
      }
    }
  } catch (error) {
    noteFailure(ctx, error);
    throw asTrpcError(error);
  }
}
