export * from './batched-usage-sink.js';
export * from './open-usage-store.js';
export * from './postgres-usage-store.js';
export * from './sqlite-usage-store.js';
export * from './usage-store.js';
