import { describe, expect, it } from 'vitest';
import { databaseTarget } from '../src/stores/database-url.js';

/** One reading of DATABASE_URL for every store (keys, usage, request log, templates). */
describe('databaseTarget', () => {
  it('reads PostgreSQL URLs whatever the case of their scheme', () => {
    for (const url of ['postgres://u@h/db', 'postgresql://u@h/db', 'POSTGRES://u@h/db']) {
      expect(databaseTarget(url)).toEqual({ kind: 'postgres', connectionString: url });
    }
    expect(databaseTarget('  postgres://u@h/db \n')).toEqual({
      kind: 'postgres',
      connectionString: 'postgres://u@h/db',
    });
  });

  it('reads anything else as a SQLite file, prefixes stripped, the default when empty', () => {
    expect(databaseTarget('sqlite:/data/g.db')).toEqual({ kind: 'sqlite', filename: '/data/g.db' });
    expect(databaseTarget('FILE:///data/g.db')).toEqual({ kind: 'sqlite', filename: '/data/g.db' });
    expect(databaseTarget('./g.db')).toEqual({ kind: 'sqlite', filename: './g.db' });
    expect(databaseTarget(':memory:')).toEqual({ kind: 'sqlite', filename: ':memory:' });
    expect(databaseTarget(undefined, '/x.db')).toEqual({ kind: 'sqlite', filename: '/x.db' });
    expect(databaseTarget('sqlite:', '/x.db')).toEqual({ kind: 'sqlite', filename: '/x.db' });
  });
});
