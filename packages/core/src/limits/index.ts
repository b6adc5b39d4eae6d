export * from './create-rate-limiter.js';
export * from './estimate-tokens.js';
export * from './fallback-rate-limiter.js';
export { type BackendLog, TokenLease } from './lease.js';
export * from './memory-rate-limiter.js';
export * from './policy.js';
export * from './redis-client.js';
export * from './redis-rate-limiter.js';
export * from './shared-state.js';
