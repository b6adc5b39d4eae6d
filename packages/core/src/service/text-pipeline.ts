/**
 * The pipeline of chat and generate, streamed or not:
 * policy (done by the caller) → rate limit → cache → route with fail-over → provider stream →
 * (fold for one result) → cache store, usage. Upstreams are always streamed.
 */
import { cachedResult, replayCachedStream } from '../cache/replay.js';
import { GatewayError, toGatewayError } from '../errors.js';
import type { CallOptions, Provider } from '../providers/provider.js';
import { fallbackStream } from '../routing/model-fallback.js';
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
import { upstreamCallOptions } from './upstream-call-options.js';

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
  /** The model, then its fallbacks this caller may use (MODEL_FALLBACKS). */
  modelsFor(model: string, ctx: RequestContext): readonly string[];
}

/** Which upstream (and, after a fallback, which model) served. */
interface Served {
  upstream?: string | undefined;
  model?: string | undefined;
}

/** The routed stream of one request: its model's upstreams, then its fallbacks' in order. */
function route<Req extends AnyRequest, Ev extends StreamEvent, Res extends Ev & FinalEvent>(
  deps: PipelineDeps,
  op: TextOperation<Req, Ev, Res>,
  request: Req,
  ctx: RequestContext,
  served: Served,
): AsyncIterable<Ev> {
  const options = {
    signal: ctx.signal,
    onUpstream: (id: string) => {
      served.upstream = id;
    },
    trace: ctx.trace,
  };
  const attempt = () => upstreamCallOptions(ctx.signal, ctx.trace);
  const models = deps.modelsFor(request.model, ctx);
  if (models.length === 1) {
    return routedStream(deps.pool, request.model, (p) => op.open(p, request, attempt()), options);
  }
  return fallbackStream(
    deps.pool,
    models,
    (p, model) => op.open(p, model === request.model ? request : { ...request, model }, attempt()),
    {
      ...options,
      onModel: (model) => {
        served.model = model === request.model ? undefined : model;
      },
    },
  );
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
  const served: Served = {};
  try {
    const events = route(deps, op, request, ctx, served);
    const folded = await op.aggregate(metered(events, scope), {
      onFirstToken: () => {
        ttftMs = performance.now() - startedAt;
        ctx.trace?.firstToken();
      },
    });
    const { upstream, model } = served;
    const result: Res = { ...folded, upstream, ttftMs };
    await scope.finish({ result, upstream, model, ttftMs, ...tokens(result.metrics) });
    return result;
  } catch (error) {
    const failure = toGatewayError(error);
    await scope.fail(failure, served.upstream);
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
  const served: Served = {};
  let finished = false;
  try {
    const events: AsyncIterable<Ev> = scope.cached
      ? (replayCachedStream(scope.cached) as AsyncIterable<unknown> as AsyncIterable<Ev>)
      : route(deps, op, request, ctx, served);
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
      const { upstream, model } = served;
      const result = { ...(event as unknown as Res), upstream, ttftMs };
      finished = true;
      const counts = tokens(result.metrics);
      if (scope.cached) await scope.finish({ result, ttftMs, ...counts }, true);
      else {
        // The cache keeps the whole answer (the final event alone has no text) and its deltas.
        const whole = chunks ? await op.aggregate(fromArray([...chunks, event]), {}) : result;
        await scope.finish({ result: whole, chunks, upstream, model, ttftMs, ...counts });
      }
      yield result;
      return;
    }
    throw new GatewayError('STREAM_INTERRUPTED', 'Upstream stream ended before done');
  } catch (error) {
    const failure = toGatewayError(error);
    finished = true;
    await scope.fail(failure, served.upstream);
    throw failure;
  } finally {
    // The consumer left early (break): not an error of ours, but it is recorded as cancelled.
    if (!finished) {
      const cancelled = new GatewayError('CANCELLED', 'The consumer stopped reading');
      await scope.fail(cancelled, served.upstream);
    }
  }
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
