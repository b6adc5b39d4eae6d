export * from './batched-usage-sink.js';
export * from './open-usage-store.js';
// The implementations are types here: openUsageStore loads the one DATABASE_URL names.
export type * from './postgres-usage-store.js';
export type * from './sqlite-usage-store.js';
export * from './usage-store.js';
