import type Database from 'better-sqlite3';
import {
  LATEST_LABEL,
  type TemplatePage,
  type TemplateRef,
  type TemplateVersion,
} from '../../templates/model.js';
import { openSqliteFile } from '../sqlite-file.js';
import {
  alreadyExists,
  decodeCursor,
  encodeCursor,
  labelMap,
  labelsOf,
  likePattern,
  notFound,
  pageSize,
  refConflict,
  reservedLabel,
  staleBase,
  toSummary,
  toVersion,
  type VersionRow,
  wrapDatabaseError,
} from './shared.js';
import { migrateSqlite } from './sqlite-migrations.js';
import type { NewTemplateVersion, StoreListQuery, TemplateStore } from './template-store.js';

interface RawVersion {
  id: string;
  version: number;
  body: string;
  created_at: string;
  created_by: string | null;
  commit_message: string | null;
}

interface HeadRow {
  latest_version: number;
  updated_at: string;
  deleted_at: string | null;
}

/**
 * The default store: one SQLite file (better-sqlite3, WAL). better-sqlite3 is synchronous, so a
 * transaction runs start to end without interleaving in this process; `BEGIN IMMEDIATE` takes
 * the write lock up front so other processes on the same file serialize too.
 */
export class SqliteTemplateStore implements TemplateStore {
  readonly kind = 'sqlite' as const;
  private readonly db: Database.Database;

  constructor(path: string) {
    this.db = openSqliteFile(path);
    this.db.pragma('foreign_keys = ON');
    migrateSqlite(this.db);
  }

  async create(id: string, v: NewTemplateVersion): Promise<TemplateVersion> {
    return this.run('create', () =>
      this.db
        .transaction(() => {
          const head = this.head(id);
          if (head && head.deleted_at === null) throw alreadyExists(id);
          const version = head ? head.latest_version + 1 : 1;
          const now = new Date().toISOString();
          if (head) {
            this.db
              .prepare(
                'UPDATE templates SET latest_version = ?, updated_at = ?, deleted_at = NULL WHERE id = ?',
              )
              .run(version, now, id);
          } else {
            this.db
              .prepare(
                'INSERT INTO templates (id, latest_version, created_at, updated_at) VALUES (?, ?, ?, ?)',
              )
              .run(id, version, now, now);
          }
          return this.insertVersion(id, version, v, now);
        })
        .immediate(),
    );
  }

  async update(
    id: string,
    next: (latest: TemplateVersion) => NewTemplateVersion,
    baseVersion?: number,
  ): Promise<TemplateVersion> {
    return this.run('update', () =>
      this.db
        .transaction(() => {
          const head = this.liveHead(id);
          if (baseVersion !== undefined && baseVersion !== head.latest_version)
            throw staleBase(id, baseVersion, head.latest_version);
          const latest = this.readVersion(id, head.latest_version);
          const version = head.latest_version + 1;
          const now = new Date().toISOString();
          const v = next(latest);
          this.db
            .prepare('UPDATE templates SET latest_version = ?, updated_at = ? WHERE id = ?')
            .run(version, now, id);
          return this.insertVersion(id, version, v, now);
        })
        .immediate(),
    );
  }

  async delete(id: string): Promise<void> {
    this.run('delete', () =>
      this.db
        .transaction(() => {
          this.liveHead(id);
          this.db.prepare('DELETE FROM template_labels WHERE id = ?').run(id);
          this.db
            .prepare('UPDATE templates SET deleted_at = ? WHERE id = ?')
            .run(new Date().toISOString(), id);
        })
        .immediate(),
    );
  }

  async get(ref: TemplateRef): Promise<TemplateVersion> {
    refConflict(ref);
    return this.run('read', () => {
      const head = this.liveHead(ref.id);
      let version = ref.version ?? head.latest_version;
      if (ref.label !== undefined && ref.label !== LATEST_LABEL) {
        const row = this.db
          .prepare('SELECT version FROM template_labels WHERE id = ? AND label = ?')
          .get(ref.id, ref.label) as { version: number } | undefined;
        if (!row) throw notFound(ref.id, `label "${ref.label}"`);
        version = row.version;
      }
      return this.readVersion(ref.id, version);
    });
  }

  async list(query: StoreListQuery): Promise<TemplatePage> {
    return this.run('list', () => {
      const limit = pageSize(query.limit);
      const after = decodeCursor(query.cursor);
      const where = ['t.deleted_at IS NULL'];
      const params: unknown[] = [];
      if (after !== undefined) {
        where.push('t.id > ?');
        params.push(after);
      }
      if (query.tag) {
        where.push('EXISTS (SELECT 1 FROM json_each(v.tags) WHERE json_each.value = ?)');
        params.push(query.tag);
      }
      if (query.search) {
        where.push(
          `lower(t.id || ' ' || v.name || ' ' || v.description || ' ' || v.tags) LIKE ? ESCAPE '\\'`,
        );
        params.push(likePattern(query.search));
      }
      const rows = this.db
        .prepare(
          `SELECT v.*, t.updated_at FROM templates t JOIN template_versions v ON v.id = t.id AND v.version = t.latest_version
           WHERE ${where.join(' AND ')} ORDER BY t.id LIMIT ?`,
        )
        .all(...params, limit + 1) as (RawVersion & { updated_at: string })[];
      const page = rows.slice(0, limit);
      const items = page.map((r) => {
        const row = parseRow(r);
        return toSummary(row, this.labels(r.id, r.version), r.updated_at);
      });
      const last = page.at(-1);
      return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null };
    });
  }

  async versions(id: string) {
    return this.run('read', () => {
      const head = this.liveHead(id);
      const labels = this.labels(id, head.latest_version);
      const rows = this.db
        .prepare(
          'SELECT version, created_at, created_by, commit_message FROM template_versions WHERE id = ? ORDER BY version DESC',
        )
        .all(id) as Omit<RawVersion, 'id' | 'body'>[];
      return rows.map((r) => ({
        version: r.version,
        createdAt: r.created_at,
        createdBy: r.created_by,
        commitMessage: r.commit_message,
        labels: labelsOf(labels, r.version),
      }));
    });
  }

  async setLabel(id: string, version: number, label: string) {
    if (label === LATEST_LABEL) throw reservedLabel();
    this.run('set label', () =>
      this.db
        .transaction(() => {
          this.liveHead(id);
          this.readVersion(id, version);
          this.db
            .prepare(
              `INSERT INTO template_labels (id, label, version, updated_at) VALUES (?, ?, ?, ?)
               ON CONFLICT (id, label) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at`,
            )
            .run(id, label, version, new Date().toISOString());
        })
        .immediate(),
    );
    const history = await this.versions(id);
    return history.find((h) => h.version === version)!;
  }

  async ping(): Promise<void> {
    this.run('ping', () => this.db.prepare('SELECT 1').get());
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private insertVersion(
    id: string,
    version: number,
    v: NewTemplateVersion,
    now: string,
  ): TemplateVersion {
    const d = v.definition;
    this.db
      .prepare(
        `INSERT INTO template_versions (id, version, name, description, tags, body, created_at, created_by, commit_message)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        version,
        d.name,
        d.description,
        JSON.stringify(d.tags),
        JSON.stringify(d),
        now,
        v.createdBy,
        v.commitMessage,
      );
    const move = this.db.prepare(
      `INSERT INTO template_labels (id, label, version, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (id, label) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at`,
    );
    for (const label of v.labels) if (label !== LATEST_LABEL) move.run(id, label, version, now);
    return this.readVersion(id, version);
  }

  private head(id: string): HeadRow | undefined {
    return this.db
      .prepare('SELECT latest_version, updated_at, deleted_at FROM templates WHERE id = ?')
      .get(id) as HeadRow | undefined;
  }

  private liveHead(id: string): HeadRow {
    const head = this.head(id);
    if (!head || head.deleted_at !== null) throw notFound(id);
    return head;
  }

  private readVersion(id: string, version: number): TemplateVersion {
    const raw = this.db
      .prepare('SELECT * FROM template_versions WHERE id = ? AND version = ?')
      .get(id, version) as RawVersion | undefined;
    if (!raw) throw notFound(id, `version ${version}`);
    const head = this.liveHead(id);
    return toVersion(parseRow(raw), this.labels(id, head.latest_version));
  }

  private labels(id: string, latest: number): Record<string, number> {
    const rows = this.db
      .prepare('SELECT label, version FROM template_labels WHERE id = ?')
      .all(id) as { label: string; version: number }[];
    return labelMap(rows, latest);
  }

  private run<T>(action: string, fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      throw wrapDatabaseError(error, action);
    }
  }
}

function parseRow(r: RawVersion): VersionRow {
  return {
    id: r.id,
    version: r.version,
    body: JSON.parse(r.body),
    createdAt: r.created_at,
    createdBy: r.created_by,
    commitMessage: r.commit_message,
  };
}
