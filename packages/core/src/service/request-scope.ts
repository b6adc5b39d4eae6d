/**
 * The pipeline hooks around one request (rate limit → cache lookup → … → usage), in one place so
 * every operation applies them the same way. Each hook is optional; a failing cache or usage
 * sink never fails the request, a limiter's RATE_LIMITED does.
 */
import { cacheKey } from '../cache/cache-key.js';
import { isCacheable } from '../cache/cacheable.js';
import type { GatewayError } from '../errors.js';
import { estimateTokens } from '../limits/estimate-tokens.js';
import type { Resolved } from '../providers/provider.js';
import type { ChatRequest, EmbedRequest, GenerateRequest } from '../types.js';
import type { RequestContext } from './context.js';
import type {
  CachedResponse,
  Operation,
  RateLimiter,
  RateLimitLease,
  ResponseCache,
  UsageSink,
} from './hooks.js';

export interface PipelineHooks {
  limiter?: RateLimiter | undefined;
  cache?: ResponseCache | undefined;
  /** Seconds a cached answer lives (default 300). */
  cacheTtlSeconds?: number | undefined;
  usage?: UsageSink | undefined;
  /** Share cached answers between API keys (off: one tenant never gets another's answer). */
  cacheSharedAcrossKeys?: boolean | undefined;
  /** Also cache chat requests that offer tools. */
  cacheToolCalls?: boolean | undefined;
}

export type AnyRequest = Resolved<ChatRequest> | Resolved<GenerateRequest> | Resolved<EmbedRequest>;

export interface Outcome {
  result: unknown;
  chunks?: unknown[];
  upstream?: string | undefined;
  ttftMs?: number | undefined;
  promptTokens: number;
  completionTokens: number;
}

export interface RequestScope {
  /** A cached answer for this exact request, when there is one. */
  readonly cached: CachedResponse | undefined;
  /** The answer will be stored in the cache (collect stream chunks). */
  readonly caching: boolean;
  finish(outcome: Outcome, cached?: boolean): Promise<void>;
  fail(error: GatewayError, upstream?: string): Promise<void>;
}

export async function openScope(
  hooks: PipelineHooks,
  operation: Operation,
  request: AnyRequest,
  ctx: RequestContext,
  modelDigest: string | undefined,
): Promise<RequestScope> {
  const startedAt = Date.now();
  const model = request.model;
  let lease: RateLimitLease | undefined;
  if (hooks.limiter) {
    lease = await hooks.limiter.reserve(ctx.caller.keyId, estimateTokens(request));
    ctx.onQuota?.(lease.quota);
  }
  const cacheable =
    hooks.cache !== undefined &&
    !ctx.noCache &&
    isCacheable(operation, request, { cacheToolCalls: hooks.cacheToolCalls === true });
  const key = cacheable
    ? cacheKey({
        operation,
        request,
        model,
        modelDigest,
        keyId: ctx.caller.keyId,
        sharedAcrossKeys: hooks.cacheSharedAcrossKeys === true,
        ...(ctx.template ? { template: ctx.template } : {}),
      })
    : undefined;
  let cached: CachedResponse | undefined;
  if (key && hooks.cache) {
    cached = await hooks.cache.get(key).catch(() => undefined);
    if (cached && cached.operation !== operation) cached = undefined;
  }

  const record = (status: 'ok' | GatewayError['code'], o: Partial<Outcome>, wasCached: boolean) => {
    hooks.usage?.record({
      at: new Date(startedAt),
      ...(ctx.requestId === undefined ? {} : { requestId: ctx.requestId }),
      keyId: ctx.caller.keyId,
      door: ctx.door,
      operation,
      model,
      ...(o.upstream === undefined ? {} : { upstream: o.upstream }),
      ...(ctx.template
        ? { templateId: ctx.template.id, templateVersion: ctx.template.version }
        : {}),
      promptTokens: o.promptTokens ?? 0,
      completionTokens: o.completionTokens ?? 0,
      ...(o.ttftMs === undefined ? {} : { ttftMs: o.ttftMs }),
      durationMs: Date.now() - startedAt,
      status,
      cached: wasCached,
    });
  };

  return {
    cached,
    caching: key !== undefined,
    async finish(outcome, wasCached = false) {
      await lease?.settle(outcome.promptTokens + outcome.completionTokens).catch(() => {});
      if (key && hooks.cache && !wasCached) {
        const value: CachedResponse = {
          operation,
          result: outcome.result,
          ...(outcome.chunks ? { chunks: outcome.chunks } : {}),
          storedAt: Date.now(),
        };
        await hooks.cache.set(key, value, hooks.cacheTtlSeconds ?? 300).catch(() => {});
      }
      record('ok', outcome, wasCached);
    },
    async fail(error, upstream) {
      await lease?.settle(0).catch(() => {});
      record(error.code, { upstream }, false);
    },
  };
}
