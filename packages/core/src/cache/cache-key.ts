import { createHash } from 'node:crypto';
import type { Operation } from '../service/hooks.js';
import type { ChatRequest, EmbedRequest, GenerateRequest } from '../types.js';
import { canonicalJson } from './canonical-json.js';

export interface CacheKeyInput {
  operation: Operation;
  /** The request as the caller sent it (after alias resolution is fine: `model` is replaced). */
  request: ChatRequest | GenerateRequest | EmbedRequest;
  /** The resolved model name (never an alias). */
  model: string;
  /** The model's digest: a re-pulled or replaced model never serves the old answers. */
  modelDigest: string | undefined;
  /** Stored template the prompt came from, when it did. */
  template?: { id: string; version: number };
  /** The caller's API key id (tenant); null for anonymous callers. */
  keyId: string | null;
  /** Share answers between API keys (`CACHE_SHARED_ACROSS_KEYS`); off by default. */
  sharedAcrossKeys?: boolean;
}

/** Bump when the key's composition changes, so old entries are never read with new meaning. */
const KEY_VERSION = 1;

/**
 * sha256 (hex) of the canonical JSON of everything that can change an answer: operation,
 * resolved model name and digest, the whole request (messages/prompt/input, every option,
 * format, tools, think, …) and template id@version, plus the tenant unless sharing is on.
 * Only `keepAlive` is left out: it changes how long the model stays loaded, not the answer.
 * The request is included whole rather than field by field so a new field is never missed.
 */
export function cacheKey(input: CacheKeyInput): string {
  const { model: _alias, keepAlive: _keepAlive, ...request } = input.request;
  const material = {
    v: KEY_VERSION,
    operation: input.operation,
    model: input.model,
    digest: input.modelDigest ?? null,
    request,
    template: input.template ? `${input.template.id}@${input.template.version}` : null,
    tenant: input.sharedAcrossKeys ? '*' : { keyId: input.keyId },
  };
  return createHash('sha256').update(canonicalJson(material)).digest('hex');
}
