/**
 * The pipeline of chat and generate, streamed or not:
 * policy (done by the caller) → rate limit → cache → route with fail-over → provider stream →
 * (fold for one result) → cache store, usage. Upstreams are always streamed.
 */
import { GatewayError, toGatewayError } from '../errors.js';
import type { Provider } from '../providers/provider.js';
import { routedStream } from '../routing/routed-call.js';
import type { UpstreamPool } from '../routing/upstream-pool.js';
import type { GenerationMetrics, ServedBy } from '../types.js';
import type { AggregateHooks } from './aggregate.js';
import type { RequestContext } from './context.js';
import { type AnyRequest, openScope, type PipelineHooks } from './request-scope.js';

interface StreamEvent {
  done: boolean;
}

interface FinalEvent extends StreamEvent, ServedBy {
  done: true;
  metrics: GenerationMetrics;
}

/** What differs between chat and generate. */
export interface TextOperation<Req, Ev extends StreamEvent, Res extends Ev & FinalEvent> {
  name: 'chat' | 'generate';
  open(provider: Provider, request: Req, signal: AbortSignal | undefined): AsyncIterable<Ev>;
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
  const scope = await openScope(
    deps.hooks,
    op.name,
    request,
    ctx,
    await deps.digestOf(request.model),
  );
  if (scope.cached) {
    const result = { ...(scope.cached.result as Res), cached: true };
    await scope.finish({ result, ...tokens(result.metrics) }, true);
    return result;
  }
  const startedAt = performance.now();
  let ttftMs: number | undefined;
  let upstream: string | undefined;
  try {
    const events = routedStream(deps.pool, request.model, (p) => op.open(p, request, ctx.signal), {
      signal: ctx.signal,
      onUpstream: (id) => {
        upstream = id;
      },
    });
    const folded = await op.aggregate(events, {
      onFirstToken: () => {
        ttftMs = performance.now() - startedAt;
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
  const scope = await openScope(
    deps.hooks,
    op.name,
    request,
    ctx,
    await deps.digestOf(request.model),
  );
  if (scope.cached) {
    for (const chunk of (scope.cached.chunks ?? []) as Ev[]) yield chunk;
    const result = { ...(scope.cached.result as Res), cached: true };
    await scope.finish({ result, ...tokens(result.metrics) }, true);
    yield result;
    return;
  }
  const startedAt = performance.now();
  const chunks: Ev[] | undefined = scope.caching ? [] : undefined;
  let ttftMs: number | undefined;
  let upstream: string | undefined;
  let finished = false;
  try {
    const events = routedStream(deps.pool, request.model, (p) => op.open(p, request, ctx.signal), {
      signal: ctx.signal,
      onUpstream: (id) => {
        upstream = id;
      },
    });
    for await (const event of events) {
      ttftMs ??= performance.now() - startedAt;
      if (!event.done) {
        chunks?.push(event);
        yield event;
        continue;
      }
      const result = { ...(event as unknown as Res), upstream, ttftMs };
      finished = true;
      await scope.finish({ result, chunks, upstream, ttftMs, ...tokens(result.metrics) });
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
