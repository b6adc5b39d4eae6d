export * from './memory-request-log.js';
export * from './open-request-log.js';
export type * from './postgres-request-log.js';
export * from './request-log.js';
export type * from './sqlite-request-log.js';
export * from './stored-request-log.js';
