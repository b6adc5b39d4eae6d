/**
 * Embeddings through the same steps as text (policy and the key's models → budget → rate limit
 * → cache → router → provider → usage), with one difference: concurrent callers of the same
 * model and parameters are micro-batched into one upstream call (embeddings/embed-batcher).
 */
import { createEmbedBatcher, type EmbedBatchingOptions } from '../embeddings/embed-batcher.js';
import { toGatewayError } from '../errors.js';
import type { ModelPolicy } from '../policy/model-policy.js';
import type { Provider, Resolved } from '../providers/provider.js';
import { fallbackCall } from '../routing/model-fallback.js';
import type { UpstreamPool } from '../routing/upstream-pool.js';
import type { RequestTrace } from '../tracing/request-trace.js';
import type { EmbedRequest, EmbedResult } from '../types.js';
import type { RequestContext } from './context.js';
import { requireKeyModel } from './key-models.js';
import { capsFor, enforceCaps, type RequestCaps } from './request-caps.js';
import { openScope, type PipelineHooks } from './request-scope.js';
import { checkRequestShape } from './request-shape.js';
import { upstreamCallOptions } from './upstream-call-options.js';

export interface EmbedPipelineDeps {
  pool: UpstreamPool;
  policy: ModelPolicy;
  hooks: PipelineHooks;
  defaultCaps: RequestCaps;
  digestOf(model: string): Promise<string | undefined>;
  /** The model, then its fallbacks this caller may use (MODEL_FALLBACKS). */
  modelsFor(model: string, ctx: RequestContext): readonly string[];
  batching?: EmbedBatchingOptions | undefined;
}

export function createEmbedPipeline(deps: EmbedPipelineDeps) {
  const { pool, policy, hooks, defaultCaps, digestOf, modelsFor } = deps;

  /** One embed call on the model's upstreams, then on its fallbacks' (`models`) in order. */
  const embedOn = async (
    models: readonly string[],
    request: Resolved<EmbedRequest>,
    signal: AbortSignal | undefined,
    served: { model?: string } = {},
    trace?: RequestTrace,
  ): Promise<EmbedResult> => {
    let upstream: string | undefined;
    const run = (p: Provider, m: string) => {
      const req = m === request.model ? request : { ...request, model: m };
      return p.embed(req, upstreamCallOptions(signal, trace));
    };
    const result = await fallbackCall(pool, models, run, {
      signal,
      trace,
      onUpstream: (id) => {
        upstream = id;
      },
      onModel: (m) => {
        served.model = m === request.model ? undefined : m;
      },
    });
    return served.model ? { ...result, model: served.model, upstream } : { ...result, upstream };
  };
  const batcher = createEmbedBatcher(
    (request, signal, trace) => embedOn([request.model], request, signal, {}, trace),
    deps.batching,
  );

  return async (request: EmbedRequest, ctx: RequestContext): Promise<EmbedResult> => {
    checkRequestShape(request);
    enforceCaps(request, capsFor(ctx.caller, defaultCaps));
    const resolved = { ...request, model: policy.resolve(request.model, 'embed') };
    requireKeyModel(ctx.caller, resolved.model, request.model);
    const scope = await openScope(hooks, 'embed', resolved, ctx, await digestOf(resolved.model));
    if (scope.cached) {
      const result = { ...(scope.cached.result as EmbedResult), cached: true };
      await scope.finish(
        { result, promptTokens: result.metrics.promptEvalCount ?? 0, completionTokens: 0 },
        true,
      );
      return result;
    }
    try {
      // A model with fallbacks goes alone: its fallbacks depend on the caller's key.
      const models = modelsFor(resolved.model, ctx);
      const served: { model?: string } = {};
      const result =
        models.length > 1
          ? await embedOn(models, resolved, ctx.signal, served, ctx.trace)
          : await batcher.embed(resolved, ctx.signal, ctx.trace);
      await scope.finish({
        result,
        upstream: result.upstream,
        model: served.model,
        promptTokens: result.metrics.promptEvalCount ?? 0,
        completionTokens: 0,
      });
      return result;
    } catch (error) {
      const failure = toGatewayError(error);
      await scope.fail(failure);
      throw failure;
    }
  };
}
