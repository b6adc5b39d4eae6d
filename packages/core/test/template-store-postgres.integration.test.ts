import { randomBytes } from 'node:crypto';
import { postgresForTests } from '@intellicore/testkit';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createTemplateStore } from '../src/stores/templates/create-template-store.js';
import { PostgresTemplateStore } from '../src/stores/templates/postgres.js';
import { templateStoreSuite } from './template-store.shared.js';

// Real PostgreSQL (DATABASE_URL); a unique schema per run, dropped afterwards.
const database = postgresForTests();
const schema = `tpl_test_${randomBytes(6).toString('hex')}`;

async function dropSchema(url: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
  } finally {
    await client.end();
  }
}

describe.skipIf(!database.url)('PostgreSQL template store', () => {
  templateStoreSuite(
    'PostgreSQL',
    () => ({
      open: () => createTemplateStore(database.url!, { schema }),
      dispose: () => dropSchema(database.url!, schema),
    }),
    true,
  );

  it('applies migrations once when several replicas start together', async () => {
    const name = `${schema}_m`;
    try {
      const stores = await Promise.all(
        [1, 2, 3].map(() =>
          PostgresTemplateStore.open({ connectionString: database.url!, schema: name }),
        ),
      );
      const client = new pg.Client({ connectionString: database.url! });
      await client.connect();
      const rows = await client.query(`SELECT version FROM "${name}".template_migrations`);
      await client.end();
      expect(rows.rows).toEqual([{ version: 1 }]);
      await Promise.all(stores.map((s) => s.close()));
    } finally {
      await dropSchema(database.url!, name);
    }
  });
});
