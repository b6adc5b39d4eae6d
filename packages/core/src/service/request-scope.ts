/**
 * The pipeline hooks around one request (budget → rate limit → cache lookup → … → usage), in one
 * place so every operation applies them the same way. Each hook is optional; a failing cache or
 * usage sink never fails the request, a budget's BUDGET_EXCEEDED or a limiter's RATE_LIMITED
 * does.
 */
import { cacheKey } from '../cache/cache-key.js';
import { isCacheable } from '../cache/cacheable.js';
import { toCachedResponse } from '../cache/replay.js';
import type { GatewayError } from '../errors.js';
import type { BudgetLedger } from '../keys/budget-ledger.js';
import { estimateTokens } from '../limits/estimate-tokens.js';
import { UNLIMITED_LEASE } from '../limits/lease.js';
import type { Resolved } from '../providers/provider.js';
import type { RequestTrace } from '../tracing/request-trace.js';
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
  /**
   * The gateway's own limits limit nobody; only stored keys' own limits apply: callers without
   * limits of their own skip the limiter (no call, no `rate_limit` step in their timeline).
   */
  limiterForOwnLimitsOnly?: boolean | undefined;
  /** Token budgets of stored keys (consulted only for callers that have one). */
  budgets?: BudgetLedger | undefined;
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
  /** The model that served, when a fallback did (usage names it; the cache skips it). */
  model?: string | undefined;
  ttftMs?: number | undefined;
  promptTokens: number;
  completionTokens: number;
}

export interface RequestScope {
  /** A cached answer for this exact request, when there is one. */
  readonly cached: CachedResponse | undefined;
  /** The answer will be stored in the cache (collect stream chunks). */
  readonly caching: boolean;
  /**
   * Counts one delta of output as it flows (≈ one token, as Ollama streams them) and charges the
   * lease with it, the prompt's estimate on the first: a long stream uses the budget while it
   * runs, not only when it settles.
   */
  delta(): Promise<void> | undefined;
  finish(outcome: Outcome, cached?: boolean): Promise<void>;
  /**
   * Settles with what was produced before the failure or cancellation (the prompt's estimate and
   * the deltas counted, once output began): aborting near the end does not make tokens free.
   */
  fail(error: GatewayError, upstream?: string): Promise<void>;
}

/** The prompt part of the estimate (no completion allowance): what a started answer has read. */
function promptEstimate(request: AnyRequest): number {
  if ('input' in request) return estimateTokens(request);
  return estimateTokens(
    { ...request, options: { ...request.options, num_predict: 0 } },
    { completionAllowance: 0 },
  );
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
  const trace = ctx.trace;
  if (trace) beginTrace(trace, operation, request, ctx);
  // Refused before anything reaches an upstream (or the cache) when the budget is spent.
  const budget = hooks.budgets && ctx.caller.keyId !== null ? ctx.caller.budget : undefined;
  // One estimate per request, for the budget and the limiter alike.
  let estimated: number | undefined;
  const estimate = () => (estimated ??= estimateTokens(request));
  // The estimate is reserved at once (concurrent requests see it); settling charges the rest.
  const reserved = budget ? estimate() : 0;
  if (budget) await hooks.budgets?.admit(ctx.caller.keyId as string, budget, reserved);
  let lease: RateLimitLease | undefined;
  if (hooks.limiter && (ctx.caller.limits || !hooks.limiterForOwnLimitsOnly)) {
    const end = trace?.phase('rate_limit');
    try {
      lease = await hooks.limiter.reserve(ctx.caller.keyId, estimate(), ctx.caller.limits);
    } catch (error) {
      end?.({ error: (error as Partial<GatewayError>).code ?? 'INTERNAL' });
      throw error;
    }
    end?.();
    // Nothing limits this caller: no quota to announce, nothing to meter per chunk.
    if (lease === UNLIMITED_LEASE) lease = undefined;
    else ctx.onQuota?.(lease.quota);
  }
  /** Real tokens (cached answers included: a key pays for what it gets) against the budget,
   * less what admission reserved. */
  const charge = (tokens: number) =>
    budget
      ? hooks.budgets?.charge(ctx.caller.keyId as string, budget.period, tokens - reserved)
      : undefined;
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
    const end = trace?.phase('cache');
    cached = await hooks.cache.get(key).catch(() => undefined);
    if (cached && cached.operation !== operation) cached = undefined;
    end?.({ hit: cached !== undefined });
  }

  const record = (status: 'ok' | GatewayError['code'], o: Partial<Outcome>, wasCached: boolean) => {
    hooks.usage?.record({
      at: new Date(startedAt),
      ...(ctx.requestId === undefined ? {} : { requestId: ctx.requestId }),
      keyId: ctx.caller.keyId,
      door: ctx.door,
      operation,
      model: o.model ?? model,
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

  let deltas = 0;
  let prompt: number | undefined;
  const promptTokens = () => (prompt ??= promptEstimate(request));
  return {
    cached,
    caching: key !== undefined,
    // Undefined when there is nothing to wait for (no limiter): streams call it per chunk, and
    // an `await` of nothing still costs a microtask hop per chunk.
    delta() {
      deltas++;
      if (!lease) return undefined;
      return lease.consume(deltas === 1 ? promptTokens() + 1 : 1).catch(() => {});
    },
    async finish(outcome, wasCached = false) {
      await lease?.settle(outcome.promptTokens + outcome.completionTokens).catch(() => {});
      await charge(outcome.promptTokens + outcome.completionTokens);
      // A fallback model's answer is not this request's model's answer: not cached under it.
      const fellBack = outcome.model !== undefined && outcome.model !== model;
      if (key && hooks.cache && !wasCached && !fellBack) {
        // The whole answer (and its deltas), without this delivery's upstream/ttftMs.
        const value = toCachedResponse(operation, outcome.result, outcome.chunks);
        await hooks.cache.set(key, value, hooks.cacheTtlSeconds ?? 300).catch(() => {});
      }
      record('ok', outcome, wasCached);
    },
    async fail(error, upstream) {
      const produced =
        deltas === 0
          ? { promptTokens: 0, completionTokens: 0 }
          : { promptTokens: promptTokens(), completionTokens: deltas };
      await lease?.settle(produced.promptTokens + produced.completionTokens).catch(() => {});
      await charge(produced.promptTokens + produced.completionTokens);
      record(error.code, { upstream, ...produced }, false);
    },
  };
}

/** Tells the trace what was asked: operation, model, the sampling settings that matter. */
function beginTrace(
  trace: RequestTrace,
  operation: Operation,
  request: AnyRequest,
  ctx: RequestContext,
): void {
  const options = request.options;
  trace.begin({
    operation,
    model: request.model,
    ...(typeof options?.temperature === 'number' ? { temperature: options.temperature } : {}),
    ...(typeof options?.num_predict === 'number' ? { maxTokens: options.num_predict } : {}),
    ...(ctx.template ? { template: `${ctx.template.id}@${ctx.template.version}` } : {}),
  });
}
