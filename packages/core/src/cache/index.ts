export * from './cache-key.js';
export * from './cache-stats.js';
export * from './cacheable.js';
export * from './canonical-json.js';
export * from './create-response-cache.js';
export * from './memory-response-cache.js';
export * from './redis-response-cache.js';
export * from './replay.js';
