// Template store: one interface, SQLite (default) and PostgreSQL implementations.

export {
  type CreateTemplateStoreOptions,
  createTemplateStore,
  DEFAULT_SQLITE_PATH,
} from './create-template-store.js';
export { PostgresTemplateStore, type PostgresTemplateStoreOptions } from './postgres.js';
export { SqliteTemplateStore } from './sqlite.js';
export type { NewTemplateVersion, StoreListQuery, TemplateStore } from './template-store.js';
