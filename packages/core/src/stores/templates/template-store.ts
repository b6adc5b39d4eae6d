import type {
  TemplateDefinition,
  TemplatePage,
  TemplateRef,
  TemplateVersion,
  TemplateVersionInfo,
} from '../../templates/model.js';

/** What a writer adds: one immutable version. */
export interface NewTemplateVersion {
  definition: TemplateDefinition;
  createdBy: string | null;
  commitMessage: string | null;
  /** Labels (besides `latest`, which always moves) to point at the new version. */
  labels: string[];
}

export interface StoreListQuery {
  tag?: string;
  search?: string;
  cursor?: string;
  /** Page size, 1–200 (default 50). */
  limit?: number;
}

/**
 * Persistence of custom templates (built-ins live in code). Versions are immutable rows; the
 * `latest` label is derived from the newest version, other labels are stored pointers.
 *
 * Deletion is soft: a deleted id no longer resolves (get/versions/list/setLabel answer
 * TEMPLATE_NOT_FOUND), its labels are dropped, its versions stay for audit. Creating the id again
 * continues its version numbering, so `id@version` always names one immutable body.
 *
 * Implementations validate nothing about the content: the template service checks before
 * writing. All methods throw only GatewayError.
 */
export interface TemplateStore {
  readonly kind: 'sqlite' | 'postgres';
  /** Version 1 of a new id; BAD_REQUEST (field `id`) when the id exists. */
  create(id: string, version: NewTemplateVersion): Promise<TemplateVersion>;
  /**
   * Appends a version built by `next` from the current latest one, atomically: concurrent
   * updates serialize and get consecutive numbers. `baseVersion` (optimistic concurrency) fails
   * with BAD_REQUEST when the latest version is no longer that one.
   */
  update(
    id: string,
    next: (latest: TemplateVersion) => NewTemplateVersion,
    baseVersion?: number,
  ): Promise<TemplateVersion>;
  delete(id: string): Promise<void>;
  /** By version, by label, or the latest when neither is given. */
  get(ref: TemplateRef): Promise<TemplateVersion>;
  /** Live templates ordered by id; tag filter, case-insensitive text search, opaque cursor. */
  list(query: StoreListQuery): Promise<TemplatePage>;
  /** Every version of a live id, newest first. */
  versions(id: string): Promise<TemplateVersionInfo[]>;
  /** Points `label` at `version` (moving it if it pointed elsewhere). `latest` is reserved. */
  setLabel(id: string, version: number, label: string): Promise<TemplateVersionInfo>;
  /** Throws when the database cannot be reached (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
