import pg from 'pg';
import { badRequest } from '../../errors.js';
import {
  LATEST_LABEL,
  type TemplatePage,
  type TemplateRef,
  type TemplateVersion,
} from '../../templates/model.js';
import { migratePostgres } from './postgres-migrations.js';
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
import type { NewTemplateVersion, StoreListQuery, TemplateStore } from './template-store.js';

type Queryable = Pick<pg.PoolClient, 'query'>;

interface RawVersion {
  id: string;
  version: number;
  body: VersionRow['body'];
  created_at: Date;
  created_by: string | null;
  commit_message: string | null;
}

export interface PostgresTemplateStoreOptions {
  connectionString: string;
  /** Schema holding the tables (created if missing); default `public`. */
  schema?: string;
  maxConnections?: number;
}

const SCHEMA_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * PostgreSQL store (`pg` pool). Updates lock the template's head row (`SELECT … FOR UPDATE`),
 * so concurrent writers — in this process or on other replicas — get consecutive versions.
 */
export class PostgresTemplateStore implements TemplateStore {
  readonly kind = 'postgres' as const;
  private readonly pool: pg.Pool;

  private constructor(pool: pg.Pool) {
    this.pool = pool;
  }

  /** Connects and applies migrations before returning. */
  static async open(options: PostgresTemplateStoreOptions): Promise<PostgresTemplateStore> {
    const schema = options.schema ?? 'public';
    if (!SCHEMA_PATTERN.test(schema))
      throw badRequest([{ path: 'schema', message: 'invalid schema name' }]);
    const pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.maxConnections ?? 10,
      options: `-c search_path=${schema}`,
    });
    pool.on('error', () => undefined); // idle-client errors surface on the next query instead
    try {
      await migratePostgres(pool, schema);
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw wrapDatabaseError(error, 'migrate');
    }
    return new PostgresTemplateStore(pool);
  }

  create(id: string, v: NewTemplateVersion): Promise<TemplateVersion> {
    return this.transaction('create', async (db) => {
      await db.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`template:${id}`]);
      const head = await this.head(db, id, true);
      if (head && head.deleted_at === null) throw alreadyExists(id);
      const version = head ? head.latest_version + 1 : 1;
      if (head) {
        await db.query(
          'UPDATE templates SET latest_version = $2, updated_at = now(), deleted_at = NULL WHERE id = $1',
          [id, version],
        );
      } else {
        await db.query(
          'INSERT INTO templates (id, latest_version, created_at, updated_at) VALUES ($1, $2, now(), now())',
          [id, version],
        );
      }
      return this.insertVersion(db, id, version, v);
    });
  }

  update(
    id: string,
    next: (latest: TemplateVersion) => NewTemplateVersion,
    baseVersion?: number,
  ): Promise<TemplateVersion> {
    return this.transaction('update', async (db) => {
      const head = await this.liveHead(db, id, true);
      if (baseVersion !== undefined && baseVersion !== head.latest_version)
        throw staleBase(id, baseVersion, head.latest_version);
      const latest = await this.readVersion(db, id, head.latest_version);
      const version = head.latest_version + 1;
      const v = next(latest);
      await db.query('UPDATE templates SET latest_version = $2, updated_at = now() WHERE id = $1', [
        id,
        version,
      ]);
      return this.insertVersion(db, id, version, v);
    });
  }

  async delete(id: string): Promise<void> {
    await this.transaction('delete', async (db) => {
      await this.liveHead(db, id, true);
      await db.query('DELETE FROM template_labels WHERE id = $1', [id]);
      await db.query('UPDATE templates SET deleted_at = now() WHERE id = $1', [id]);
    });
  }

  async get(ref: TemplateRef): Promise<TemplateVersion> {
    refConflict(ref);
    return this.guard('read', async () => {
      const head = await this.liveHead(this.pool, ref.id);
      let version = ref.version ?? head.latest_version;
      if (ref.label !== undefined && ref.label !== LATEST_LABEL) {
        const r = await this.pool.query<{ version: number }>(
          'SELECT version FROM template_labels WHERE id = $1 AND label = $2',
          [ref.id, ref.label],
        );
        const row = r.rows[0];
        if (!row) throw notFound(ref.id, `label "${ref.label}"`);
        version = row.version;
      }
      return this.readVersion(this.pool, ref.id, version);
    });
  }

  async list(query: StoreListQuery): Promise<TemplatePage> {
    return this.guard('list', async () => {
      const limit = pageSize(query.limit);
      const after = decodeCursor(query.cursor);
      const where = ['t.deleted_at IS NULL'];
      const params: unknown[] = [];
      const param = (value: unknown) => {
        params.push(value);
        return `$${params.length}`;
      };
      if (after !== undefined) where.push(`t.id COLLATE "C" > ${param(after)}`);
      if (query.tag) where.push(`v.tags @> ${param(JSON.stringify([query.tag]))}::jsonb`);
      if (query.search) {
        where.push(
          `lower(t.id || ' ' || v.name || ' ' || v.description || ' ' || v.tags::text) LIKE ${param(likePattern(query.search))}`,
        );
      }
      const result = await this.pool.query<RawVersion & { updated_at: Date }>(
        `SELECT v.*, t.updated_at FROM templates t JOIN template_versions v ON v.id = t.id AND v.version = t.latest_version
         WHERE ${where.join(' AND ')} ORDER BY t.id COLLATE "C" LIMIT ${param(limit + 1)}`,
        params,
      );
      const page = result.rows.slice(0, limit);
      const labels = await this.labelsFor(page.map((r) => r.id));
      const items = page.map((r) =>
        toSummary(
          parseRow(r),
          labelMap(labels.get(r.id) ?? [], r.version),
          r.updated_at.toISOString(),
        ),
      );
      const last = page.at(-1);
      return {
        items,
        nextCursor: result.rows.length > limit && last ? encodeCursor(last.id) : null,
      };
    });
  }

  async versions(id: string) {
    return this.guard('read', async () => {
      const head = await this.liveHead(this.pool, id);
      const labels = labelMap((await this.labelsFor([id])).get(id) ?? [], head.latest_version);
      const r = await this.pool.query<Omit<RawVersion, 'id' | 'body'>>(
        'SELECT version, created_at, created_by, commit_message FROM template_versions WHERE id = $1 ORDER BY version DESC',
        [id],
      );
      return r.rows.map((row) => ({
        version: row.version,
        createdAt: row.created_at.toISOString(),
        createdBy: row.created_by,
        commitMessage: row.commit_message,
        labels: labelsOf(labels, row.version),
      }));
    });
  }

  async setLabel(id: string, version: number, label: string) {
    if (label === LATEST_LABEL) throw reservedLabel();
    await this.transaction('set label', async (db) => {
      await this.liveHead(db, id, true);
      await this.readVersion(db, id, version);
      await db.query(
        `INSERT INTO template_labels (id, label, version, updated_at) VALUES ($1, $2, $3, now())
         ON CONFLICT (id, label) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at`,
        [id, label, version],
      );
    });
    const history = await this.versions(id);
    return history.find((h) => h.version === version)!;
  }

  async ping(): Promise<void> {
    await this.guard('ping', () => this.pool.query('SELECT 1'));
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async insertVersion(
    db: Queryable,
    id: string,
    version: number,
    v: NewTemplateVersion,
  ): Promise<TemplateVersion> {
    const d = v.definition;
    await db.query(
      `INSERT INTO template_versions (id, version, name, description, tags, body, created_at, created_by, commit_message)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, now(), $7, $8)`,
      [
        id,
        version,
        d.name,
        d.description,
        JSON.stringify(d.tags),
        JSON.stringify(d),
        v.createdBy,
        v.commitMessage,
      ],
    );
    for (const label of v.labels) {
      if (label === LATEST_LABEL) continue;
      await db.query(
        `INSERT INTO template_labels (id, label, version, updated_at) VALUES ($1, $2, $3, now())
         ON CONFLICT (id, label) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at`,
        [id, label, version],
      );
    }
    return this.readVersion(db, id, version);
  }

  private async head(db: Queryable, id: string, lock = false) {
    const r = await db.query<{ latest_version: number; deleted_at: Date | null }>(
      `SELECT latest_version, deleted_at FROM templates WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return r.rows[0];
  }

  private async liveHead(db: Queryable, id: string, lock = false) {
    const head = await this.head(db, id, lock);
    if (!head || head.deleted_at !== null) throw notFound(id);
    return head;
  }

  private async readVersion(db: Queryable, id: string, version: number): Promise<TemplateVersion> {
    const r = await db.query<RawVersion>(
      'SELECT * FROM template_versions WHERE id = $1 AND version = $2',
      [id, version],
    );
    const raw = r.rows[0];
    if (!raw) throw notFound(id, `version ${version}`);
    const head = await this.liveHead(db, id);
    const labels = await db.query<{ label: string; version: number }>(
      'SELECT label, version FROM template_labels WHERE id = $1',
      [id],
    );
    return toVersion(parseRow(raw), labelMap(labels.rows, head.latest_version));
  }

  private async labelsFor(
    ids: string[],
  ): Promise<Map<string, { label: string; version: number }[]>> {
    const map = new Map<string, { label: string; version: number }[]>();
    if (ids.length === 0) return map;
    const r = await this.pool.query<{ id: string; label: string; version: number }>(
      'SELECT id, label, version FROM template_labels WHERE id = ANY($1)',
      [ids],
    );
    for (const row of r.rows) {
      const list = map.get(row.id) ?? [];
      list.push({ label: row.label, version: row.version });
      map.set(row.id, list);
    }
    return map;
  }

  private async transaction<T>(action: string, fn: (db: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.guard(action, async () => {
      const client = await this.pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    });
  }

  private async guard<T>(action: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw wrapDatabaseError(error, action);
    }
  }
}

function parseRow(r: RawVersion): VersionRow {
  return {
    id: r.id,
    version: r.version,
    body: r.body,
    createdAt: r.created_at.toISOString(),
    createdBy: r.created_by,
    commitMessage: r.commit_message,
  };
}
