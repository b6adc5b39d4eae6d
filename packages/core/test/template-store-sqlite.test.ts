import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTemplateStore } from '../src/stores/templates/create-template-store.js';
import { SqliteTemplateStore } from '../src/stores/templates/sqlite.js';
import { templateStoreSuite } from './template-store.shared.js';

const dir = mkdtempSync(join(tmpdir(), 'template-store-'));
const file = join(dir, 'nested', 'templates.sqlite');

templateStoreSuite(
  'SQLite file',
  () => ({
    open: () => createTemplateStore(file),
    dispose: async () => rmSync(dir, { recursive: true, force: true }),
  }),
  true,
);

describe('createTemplateStore', () => {
  it('takes a plain path or a sqlite:/file: URL as SQLite', async () => {
    const d = mkdtempSync(join(tmpdir(), 'template-store-url-'));
    try {
      for (const url of [
        join(d, 'a.sqlite'),
        `sqlite:${join(d, 'b.sqlite')}`,
        `file://${join(d, 'c.sqlite')}`,
      ]) {
        const store = await createTemplateStore(url);
        expect(store).toBeInstanceOf(SqliteTemplateStore);
        await store.ping();
        await store.close();
      }
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
});
