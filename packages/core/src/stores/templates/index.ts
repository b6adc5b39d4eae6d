// Template store: one interface, SQLite (default) and PostgreSQL implementations.

export {
  type CreateTemplateStoreOptions,
  createTemplateStore,
  DEFAULT_SQLITE_PATH,
} from './create-template-store.js';
// The implementations are types here: createTemplateStore loads the one DATABASE_URL names.
export type { PostgresTemplateStore, PostgresTemplateStoreOptions } from './postgres.js';
export type { SqliteTemplateStore } from './sqlite.js';
export type { NewTemplateVersion, StoreListQuery, TemplateStore } from './template-store.js';
