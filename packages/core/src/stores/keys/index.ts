export * from './key-store.js';
export * from './open-key-store.js';
// The implementations are types here: openKeyStore loads the one DATABASE_URL names.
export type * from './postgres-key-store.js';
export type * from './sqlite-key-store.js';
