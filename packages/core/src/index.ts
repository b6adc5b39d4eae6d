// Public surface of @intellicore/llm-core. One section per area; each area exports from its own folder.

// errors and domain types
export * from './errors.js';
export type * from './types.js';

// providers
export type * from './providers/provider.js';

// service facade (what transports call)
export type * from './service/context.js';
export type * from './service/gateway-service.js';
export type * from './service/hooks.js';
