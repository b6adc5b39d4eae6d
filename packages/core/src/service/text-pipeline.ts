/**
 * The pipeline of chat and generate, streamed or not:
 * policy (done by the caller) → rate limit → cache → route with fail-over → provider stream →
 * (fold for one result) → cache store, usage. Upstreams are always streamed.
 */
import { cachedResult, replayCachedStream } from '../cache/replay.js';
import { GatewayError, toGatewayError } from '../errors.js';
import type { CallOptions, Provider } from '../providers/provider.js';
import { routedStream } from '../routing/routed-call.js';
import type { UpstreamPool } from '../routing/upstream-pool.js';
import type { AggregateHooks } from '../streams/aggregate.js';
import type { GenerationMetrics, ServedBy } from '../types.js';
import type { RequestContext } from './context.js';
import {
  type AnyRequest,
  openScope,
  type PipelineHooks,
  type RequestScope,
} from './request-scope.js';

export interface StreamEvent {
  done: boolean;
}

export interface FinalEvent extends StreamEvent, ServedBy {
  done: true;
  metrics: GenerationMetrics;
}

/** What differs between chat and generate. */
export interface TextOperation<Req, Ev extends StreamEvent, Res extends Ev & FinalEvent> {
  name: 'chat' | 'generate';
  open(provider: Provider, request: Req, options: CallOptions): AsyncIterable<Ev>;
  aggregate(events: AsyncIterable<Ev>, hooks: AggregateHooks): Promise<Res>;
}

export interface PipelineDeps {
  pool: UpstreamPool;
  hooks: PipelineHooks;
  /** The digest of a model in the catalogue (part of cache keys). */
  digestOf(model: string): Promise<string | undefined>;
}

const tokens = (m: GenerationMetrics) => ({
  promptTokens: m.promptEvalCount ?? 0,
  completionTokens: m.evalCount ?? 0,
});

export async function runText<
  Req extends AnyRequest,
  Ev extends StreamEvent,
  Res extends Ev & FinalEvent,
>(
  deps: PipelineDeps,
  op: TextOperation<Req, Ev, Res>,
  request: Req,
  ctx: RequestContext,
): Promise<Res> {
  const startedAt = performance.now();
  const scope = await openScope(
    deps.hooks,
    op.name,
    request,
    ctx,
    await deps.digestOf(request.model),
  );
  if (scope.cached) {
    const ttftMs = performance.now() - startedAt;
    const result: Res = { ...cachedResult<Res>(scope.cached), ttftMs };
    await scope.finish({ result, ttftMs, ...tokens(result.metrics) }, true);
    return result;
  }
  let ttftMs: number | undefined;
  let upstream: string | undefined;
  try {
    const events = routedStream(deps.pool, request.model, (p) => op.open(p, request, call(ctx)), {
      signal: ctx.signal,
      onUpstream: (id) => {
        upstream = id;
      },
      trace: ctx.trace,
    });
    const folded = await op.aggregate(metered(events, scope), {
      onFirstToken: () => {
        ttftMs = performance.now() - startedAt;
        ctx.trace?.firstToken();
      },
    });
    const result: Res = { ...folded, upstream, ttftMs };
    await scope.finish({ result, upstream, ttftMs, ...tokens(result.metrics) });
    return result;
  } catch (error) {
    const failure = toGatewayError(error);
    await scope.fail(failure, upstream);
    throw failure;
  }
}

export async function* streamText<
  Req extends AnyRequest,
  Ev extends StreamEvent,
  Res extends Ev & FinalEvent,
>(
  deps: PipelineDeps,
  op: TextOperation<Req, Ev, Res>,
  request: Req,
  ctx: RequestContext,
): AsyncGenerator<Ev | Res> {
  const startedAt = performance.now();
  const scope = await openScope(
    deps.hooks,
    op.name,
    request,
    ctx,
    await deps.digestOf(request.model),
  );
  const chunks: Ev[] | undefined = scope.caching && !scope.cached ? [] : undefined;
  let ttftMs: number | undefined;
  let upstream: string | undefined;
  let finished = false;
  try {
    const events: AsyncIterable<Ev> = scope.cached
      ? (replayCachedStream(scope.cached) as AsyncIterable<unknown> as AsyncIterable<Ev>)
      : routedStream(deps.pool, request.model, (p) => op.open(p, request, call(ctx)), {
          signal: ctx.signal,
          onUpstream: (id) => {
            upstream = id;
          },
          trace: ctx.trace,
        });
    for await (const event of events) {
      if (ttftMs === undefined) {
        ttftMs = performance.now() - startedAt;
        ctx.trace?.firstToken();
      }
      if (!event.done) {
        if (!scope.cached) {
          const charged = scope.delta();
          if (charged) await charged;
        }
        chunks?.push(event);
        yield event;
        continue;
      }
      const result = { ...(event as unknown as Res), upstream, ttftMs };
      finished = true;
      const counts = tokens(result.metrics);
      if (scope.cached) await scope.finish({ result, ttftMs, ...counts }, true);
      else {
        // The cache keeps the whole answer (the final event alone has no text) and its deltas.
        const whole = chunks ? await op.aggregate(fromArray([...chunks, event]), {}) : result;
        await scope.finish({ result: whole, chunks, upstream, ttftMs, ...counts });
      }
      yield result;
      return;
    }
    throw new GatewayError('STREAM_INTERRUPTED', 'Upstream stream ended before done');
  } catch (error) {
    const failure = toGatewayError(error);
    finished = true;
    await scope.fail(failure, upstream);
    throw failure;
  } finally {
    // The consumer left early (break): not an error of ours, but it is recorded as cancelled.
    if (!finished) {
      await scope.fail(new GatewayError('CANCELLED', 'The consumer stopped reading'), upstream);
    }
  }
}

/** The upstream call's options: the caller's signal, and the trace headers when traced. */
function call(ctx: RequestContext): CallOptions {
  const headers = ctx.trace?.upstreamHeaders();
  const options: CallOptions = {};
  if (ctx.signal) options.signal = ctx.signal;
  if (headers) options.headers = headers;
  return options;
}

/** Passes the events on, counting each delta against the request's token budget as it flows. */
async function* metered<Ev extends StreamEvent>(
  events: AsyncIterable<Ev>,
  scope: RequestScope,
): AsyncGenerator<Ev> {
  for await (const event of events) {
    if (!event.done) {
      const charged = scope.delta();
      if (charged) await charged;
    }
    yield event;
  }
}

async function* fromArray<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}
