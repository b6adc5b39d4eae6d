import type { CachedResponse, Operation } from '../service/hooks.js';
import type { ChatDelta, ChatResult, GenerateDelta, GenerateResult } from '../types.js';

/**
 * What to store: `result` is the whole answer (as the non-stream call returns it, i.e. the
 * aggregated stream), `chunks` the deltas (done: false events) when it was streamed.
 * Per-delivery facts (upstream, ttftMs, cached) are not stored.
 */
export function toCachedResponse(
  operation: Operation,
  result: unknown,
  chunks?: unknown[],
): CachedResponse {
  const { cached: _c, upstream: _u, ttftMs: _t, ...rest } = result as Record<string, unknown>;
  const deltas = chunks?.filter((c) => (c as { done?: unknown }).done !== true);
  return { operation, result: rest, ...(deltas ? { chunks: deltas } : {}), storedAt: Date.now() };
}

/** A cached answer as a one-shot result, marked `cached: true`. */
export function cachedResult<T>(cached: CachedResponse): T {
  return { ...(cached.result as object), cached: true } as T;
}

/**
 * A cached chat/generate answer as a stream, shaped like a live Ollama stream: the deltas
 * (the stored ones, or one delta carrying the whole text when the answer was not streamed),
 * then the final event with the metrics, `cached: true` and no text of its own — so folding
 * the replay gives exactly the stored result.
 */
export async function* replayCachedStream<
  T extends ChatDelta | ChatResult | GenerateDelta | GenerateResult,
>(cached: CachedResponse): AsyncGenerator<T> {
  const final = cachedResult<ChatResult | GenerateResult>(cached);
  const deltas = cached.chunks ?? [wholeAnswerDelta(final)];
  for (const delta of deltas) yield delta as T;
  yield withoutText(final) as T;
}

function wholeAnswerDelta(final: ChatResult | GenerateResult): ChatDelta | GenerateDelta {
  const base = { done: false as const, model: final.model, createdAt: final.createdAt };
  if ('message' in final) return { ...base, message: final.message };
  return {
    ...base,
    response: final.response,
    ...(final.thinking === undefined ? {} : { thinking: final.thinking }),
  };
}

function withoutText(final: ChatResult | GenerateResult): ChatResult | GenerateResult {
  if ('message' in final) return { ...final, message: { role: 'assistant', content: '' } };
  const { thinking: _thinking, ...rest } = final;
  return { ...rest, response: '' };
}
