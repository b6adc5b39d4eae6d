// Procedure input/output schemas: plain zod, no server imports (the SDK's types come from here).
export * from './chat.js';
export * from './common.js';
export * from './errors.js';
export * from './health.js';
export * from './keys.js';
export * from './models.js';
export * from './requests.js';
export * from './templates.js';
export * from './usage.js';
