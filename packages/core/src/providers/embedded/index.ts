export { createEmbeddedProvider, type EmbeddedProviderOptions } from './provider.js';
export { type PullRef, parsePullRef } from './pull-ref.js';
