/**
 * The GatewayService: model policy (and the key's model list) → budget → rate limit → cache →
 * router (fallback models) → provider → usage, the same for every door (embeddings:
 * embed-pipeline.ts). Upstreams are any `Provider`s (Ollama instances, the embedded engine).
 */

import type { EmbedBatchingOptions } from '../embeddings/embed-batcher.js';
import {
  createModelPolicy,
  type ModelPolicy,
  type ModelPolicyOptions,
} from '../policy/model-policy.js';
import type { Provider, Resolved } from '../providers/provider.js';
import {
  createUpstreamPool,
  type UpstreamPool,
  type UpstreamPoolOptions,
} from '../routing/upstream-pool.js';
import { aggregateChat, aggregateGenerate } from '../streams/aggregate.js';
import type {
  ChatRequest,
  ChatResult,
  ChatStreamEvent,
  GenerateRequest,
  GenerateResult,
  GenerateStreamEvent,
} from '../types.js';
import type { RequestContext } from './context.js';
import { createEmbedPipeline } from './embed-pipeline.js';
import type { GatewayService, HealthReport } from './gateway-service.js';
import { fallbackChains, requireKeyModel } from './key-models.js';
import { createModelOperations } from './model-operations.js';
import {
  boundForUpstream,
  capsFor,
  DEFAULT_REQUEST_CAPS,
  enforceCaps,
  type RequestCaps,
} from './request-caps.js';
import type { AnyRequest, PipelineHooks } from './request-scope.js';
import { checkRequestShape } from './request-shape.js';
import {
  type FinalEvent,
  runText,
  type StreamEvent,
  streamText,
  type TextOperation,
} from './text-pipeline.js';

export interface GatewayServiceOptions extends PipelineHooks {
  upstreams: Provider[];
  policy: ModelPolicyOptions | ModelPolicy;
  pool?: Omit<UpstreamPoolOptions, 'upstreams'>;
  embedBatching?: EmbedBatchingOptions;
  /** Readiness of the store(s) the gateway depends on; reported by `health()`. */
  storeHealth?: () => Promise<{ ok: boolean; error?: string }>;
  /** What one request of a non-admin key may cost (defaults: DEFAULT_REQUEST_CAPS). */
  caps?: Partial<RequestCaps>;
  /** MODEL_FALLBACKS: model → the models that answer, in order, when its upstreams cannot. */
  fallbacks?: Record<string, readonly string[]>;
}

/** The service plus the parts the gateway wires further (metrics, admin). */
export interface GatewayServiceWithPool extends GatewayService {
  readonly pool: UpstreamPool;
  readonly policy: ModelPolicy;
}

const chatOp: TextOperation<Resolved<ChatRequest>, ChatStreamEvent, ChatResult> = {
  name: 'chat',
  open: (p, request, options) => p.chatStream(request, options),
  aggregate: aggregateChat,
};

const generateOp: TextOperation<Resolved<GenerateRequest>, GenerateStreamEvent, GenerateResult> = {
  name: 'generate',
  open: (p, request, options) => p.generateStream(request, options),
  aggregate: aggregateGenerate,
};

export function createGatewayService(options: GatewayServiceOptions): GatewayServiceWithPool {
  const policy = 'resolve' in options.policy ? options.policy : createModelPolicy(options.policy);
  const pool = createUpstreamPool({ ...options.pool, upstreams: options.upstreams });
  const hooks: PipelineHooks = options;
  /** The model's digest in the catalogue (part of cache keys: a re-pulled model never hits). */
  const digestOf = async (model: string) => {
    // Only cache keys use it: without a cache, no per-request catalogue lookup at all.
    if (!hooks.cache) return undefined;
    await pool.ready();
    return pool.digestOf(model);
  };
  const modelsFor = fallbackChains(options.fallbacks, policy);
  const deps = { pool, hooks, digestOf, modelsFor };
  const models = createModelOperations(pool, policy);
  const defaultCaps: RequestCaps = { ...DEFAULT_REQUEST_CAPS, ...options.caps };
  const urls = new Map(options.upstreams.map((p) => [p.id, p.url]));

  /**
   * The checks every request passes before anything else (well-formed input, the caller's caps);
   * returns the operation bound to this caller's caps for the upstream call.
   */
  const admit = <Req extends AnyRequest, Ev extends StreamEvent, Res extends Ev & FinalEvent>(
    op: TextOperation<Req, Ev, Res>,
    request: Req,
    ctx: RequestContext,
  ): TextOperation<Req, Ev, Res> => {
    checkRequestShape(request);
    const caps = capsFor(ctx.caller, defaultCaps);
    enforceCaps(request, caps);
    if (!caps) return op;
    return {
      ...op,
      open: (p, req, options) => op.open(p, boundForUpstream(req, caps, p), options),
    };
  };

  /** Alias → model, default applied, allow-lists (the gateway's, the key's) enforced. */
  const resolveChat = <T extends { model?: string }>(
    request: T,
    ctx: RequestContext,
  ): T & { model: string } => {
    const model = policy.resolve(request.model, 'chat');
    requireKeyModel(ctx.caller, model, request.model);
    return { ...request, model };
  };

  const embed = createEmbedPipeline({
    pool,
    policy,
    hooks,
    defaultCaps,
    digestOf,
    modelsFor,
    batching: options.embedBatching,
  });

  return {
    pool,
    policy,
    chat: async (request, ctx) => {
      const resolved = resolveChat(request, ctx);
      return runText(deps, admit(chatOp, resolved, ctx), resolved, ctx);
    },
    generate: async (request, ctx) => {
      const resolved = resolveChat(request, ctx);
      return runText(deps, admit(generateOp, resolved, ctx), resolved, ctx);
    },
    chatStream: (request, ctx) =>
      lazy(() => {
        const resolved = resolveChat(request, ctx);
        return streamText(deps, admit(chatOp, resolved, ctx), resolved, ctx);
      }),
    generateStream: (request, ctx) =>
      lazy(() => {
        const resolved = resolveChat(request, ctx);
        return streamText(deps, admit(generateOp, resolved, ctx), resolved, ctx);
      }),
    embed,
    listModels: models.listModels,
    showModel: models.showModel,
    runningModels: models.runningModels,
    allowedModels: () => policy.allowed(),
    pullModel: models.pullModel,
    deleteModel: models.deleteModel,

    async health(): Promise<HealthReport> {
      await pool.ready();
      const upstreams = pool.health().map((u) => {
        const url = urls.get(u.id);
        return url === undefined ? u : { ...u, url };
      });
      const store = options.storeHealth
        ? await options.storeHealth().catch((e: unknown) => ({
            ok: false,
            error: e instanceof Error ? e.message : String(e),
          }))
        : { ok: true };
      return { ready: upstreams.some((u) => u.healthy) && store.ok, upstreams, store };
    },

    async close() {
      await pool.close();
      await Promise.allSettled([
        options.limiter?.close(),
        options.cache?.close(),
        options.usage?.close(),
      ]);
    },
  };
}

/** Defers building a stream (and its policy check) until iteration starts. */
function lazy<T>(make: () => AsyncIterable<T>): AsyncIterable<T> {
  return { [Symbol.asyncIterator]: () => make()[Symbol.asyncIterator]() };
}
