// Public surface of @intellicore/llm-core. One section per area; each area exports from its own folder.

// errors and domain types
export * from './errors.js';
export type * from './types.js';

// providers
export type * from './providers/provider.js';
export * from './providers/embedded/index.js';
export * from './providers/ollama/ollama-provider.js';
export * from './providers/ollama/upstreams.js';

// service facade (what transports call)
export type * from './service/context.js';
export type * from './service/gateway-service.js';
export type * from './service/hooks.js';
export * from './service/gateway-service-impl.js';
export * from './service/aggregate.js';

// model policy, upstream pool and routing, embeddings micro-batching
export * from './embeddings/embed-batcher.js';
export { vectorJson, vectorsJson } from './embeddings/raw-vectors.js';
export * from './policy/model-names.js';
export * from './policy/model-policy.js';
export * from './routing/routed-call.js';
export * from './routing/upstream-pool.js';

// rate limits (memory, Valkey with memory fallback), response cache, usage records
export * from './limits/index.js';
export * from './cache/index.js';
export * from './stores/usage/index.js';

// prompt templates (safe eta, built-ins, render-and-chat) and the template store
export * from './templates/index.js';
export * from './stores/templates/index.js';
