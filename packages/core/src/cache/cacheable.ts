import type { Operation } from '../service/hooks.js';
import type { ChatRequest, EmbedRequest, GenerateRequest } from '../types.js';

export interface CacheableOptions {
  /** Also cache chat requests that offer tools (off: tool results usually depend on the world). */
  cacheToolCalls?: boolean;
}

/**
 * Whether an answer may be served from the cache: embeddings always; chat and generate only
 * when deterministic — temperature 0 or a fixed seed — and, for chat, not when tools are
 * offered unless `cacheToolCalls`. (Per-request bypass, `ctx.noCache`, is the caller's check.)
 */
export function isCacheable(
  operation: Operation,
  request: ChatRequest | GenerateRequest | EmbedRequest,
  options: CacheableOptions = {},
): boolean {
  if (operation === 'embed') return true;
  const modelOptions = request.options;
  const deterministic = modelOptions?.temperature === 0 || typeof modelOptions?.seed === 'number';
  if (!deterministic) return false;
  const tools = 'tools' in request ? request.tools : undefined;
  if (tools && tools.length > 0 && !options.cacheToolCalls) return false;
  return true;
}
