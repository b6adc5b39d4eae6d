export * from './budget-ledger.js';
export * from './budget-period.js';
export * from './key-directory.js';
export * from './key-model.js';
export * from './key-service.js';
