import type { Database } from 'better-sqlite3';

/**
 * Versioned, idempotent schema migrations for the SQLite template store. Each entry runs once,
 * inside one immediate transaction together with its row in `template_migrations`, so two
 * processes opening the same file never apply one twice.
 */
const MIGRATIONS: { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'templates, versions, labels',
    sql: `
      CREATE TABLE templates (
        id TEXT PRIMARY KEY,
        latest_version INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        deleted_at TEXT
      );
      CREATE TABLE template_versions (
        id TEXT NOT NULL REFERENCES templates(id),
        version INTEGER NOT NULL,
        name TEXT NOT NULL,
        description TEXT NOT NULL,
        tags TEXT NOT NULL,
        body TEXT NOT NULL,
        created_at TEXT NOT NULL,
        created_by TEXT,
        commit_message TEXT,
        PRIMARY KEY (id, version)
      );
      CREATE TABLE template_labels (
        id TEXT NOT NULL,
        label TEXT NOT NULL,
        version INTEGER NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (id, label),
        FOREIGN KEY (id, version) REFERENCES template_versions(id, version)
      );
    `,
  },
];

export function migrateSqlite(db: Database): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS template_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const applied: number[] = [];
  const apply = db.transaction((m: (typeof MIGRATIONS)[number]) => {
    const done = db.prepare('SELECT 1 FROM template_migrations WHERE version = ?').get(m.version);
    if (done) return;
    db.exec(m.sql);
    db.prepare('INSERT INTO template_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
      m.version,
      m.name,
      new Date().toISOString(),
    );
    applied.push(m.version);
  });
  for (const m of MIGRATIONS) apply.immediate(m);
  return applied;
}
