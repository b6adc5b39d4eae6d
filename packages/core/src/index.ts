// Public surface of @intellicore/llm-core: errors and domain types, providers (Ollama, embedded),
// the service facade and its hooks, model policy, routing, embeddings batching, rate limits,
// response cache, usage and template stores, prompt templates. Sorted (biome) — one line per area.

export * from './cache/index.js';
export * from './embeddings/embed-batcher.js';
export { vectorJson, vectorsJson } from './embeddings/raw-vectors.js';
export * from './errors.js';
export * from './keys/index.js';
export * from './limits/index.js';
export * from './policy/model-names.js';
export * from './policy/model-options.js';
export * from './policy/model-policy.js';
export * from './providers/embedded/index.js';
export * from './providers/ollama/ollama-provider.js';
export * from './providers/ollama/upstreams.js';
export type * from './providers/provider.js';
export * from './routing/routed-call.js';
export * from './routing/upstream-pool.js';
export * from './service/authorization.js';
export type * from './service/context.js';
export type * from './service/gateway-service.js';
export * from './service/gateway-service-impl.js';
export * from './service/health-view.js';
export type * from './service/hooks.js';
export * from './service/request-caps.js';
export * from './service/request-log-view.js';
export * from './service/request-shape.js';
export * from './service/usage-report.js';
export * from './stores/keys/index.js';
export * from './stores/requests/index.js';
export * from './stores/templates/index.js';
export * from './stores/usage/index.js';
export * from './streams/aggregate.js';
export * from './templates/index.js';
export type * from './tracing/request-trace.js';
export type * from './types.js';
