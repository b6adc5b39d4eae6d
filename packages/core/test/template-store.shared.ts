/**
 * The one TemplateStore suite, run against SQLite and PostgreSQL (not a test file itself).
 * `open()` opens a store on the SAME database each time, so calling it again is a restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayError } from '../src/errors.js';
import type { NewTemplateVersion, TemplateStore } from '../src/stores/templates/template-store.js';
import type { TemplateDefinition } from '../src/templates/model.js';

export interface StoreHarness {
  open(): Promise<TemplateStore>;
  /** Drops the database (schema / file) after the suite. */
  dispose(): Promise<void>;
}

export function definition(overrides: Partial<TemplateDefinition> = {}): TemplateDefinition {
  return {
    name: 'Greeting',
    description: 'Says hello',
    template: 'Hello <%= it.name %>',
    variables: [{ name: 'name', type: 'string', required: true }],
    output: 'text',
    tags: ['demo'],
    ...overrides,
  };
}

function version(
  overrides: Partial<TemplateDefinition> = {},
  extra: Partial<NewTemplateVersion> = {},
): NewTemplateVersion {
  return {
    definition: definition(overrides),
    createdBy: 'key_1',
    commitMessage: 'init',
    labels: [],
    ...extra,
  };
}

async function rejection(promise: Promise<unknown>): Promise<GatewayError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    return error as GatewayError;
  }
  throw new Error('expected a rejection');
}

export function templateStoreSuite(
  name: string,
  harness: () => StoreHarness | undefined,
  concurrentOpen = false,
): void {
  describe(`TemplateStore (${name})`, () => {
    let h: StoreHarness;
    let store: TemplateStore;
    beforeAll(async () => {
      h = harness()!;
      store = await h.open();
    });
    afterAll(async () => {
      await store?.close();
      await h?.dispose();
    });

    it('creates version 1 with metadata and reads it back by id, version and label', async () => {
      const created = await store.create('greet', version({}, { labels: ['production'] }));
      expect(created).toMatchObject({
        id: 'greet',
        version: 1,
        createdBy: 'key_1',
        commitMessage: 'init',
        builtIn: false,
      });
      expect(created.labels).toEqual(['latest', 'production']);
      expect(Date.parse(created.createdAt)).not.toBeNaN();
      expect(await store.get({ id: 'greet' })).toEqual(created);
      expect(await store.get({ id: 'greet', version: 1 })).toEqual(created);
      expect(await store.get({ id: 'greet', label: 'production' })).toEqual(created);
    });

    it('refuses a second create of a live id', async () => {
      const error = await rejection(store.create('greet', version()));
      expect(error.code).toBe('BAD_REQUEST');
      expect(error.fieldErrors?.[0]?.path).toBe('id');
    });

    it('update appends an immutable version and moves latest', async () => {
      const v2 = await store.update('greet', (latest) =>
        version({ ...latest, template: 'Hi <%= it.name %>' }, { commitMessage: 'shorter' }),
      );
      expect(v2).toMatchObject({
        version: 2,
        template: 'Hi <%= it.name %>',
        commitMessage: 'shorter',
        labels: ['latest'],
      });
      const v1 = await store.get({ id: 'greet', version: 1 });
      expect(v1.template).toBe('Hello <%= it.name %>');
      expect(v1.labels).toEqual(['production']);
      expect((await store.get({ id: 'greet' })).version).toBe(2);
    });

    it('baseVersion guards against lost updates', async () => {
      const error = await rejection(store.update('greet', (l) => version(l), 1));
      expect(error.code).toBe('BAD_REQUEST');
      expect(error.fieldErrors?.[0]?.path).toBe('baseVersion');
    });

    it('moves labels and keeps latest reserved', async () => {
      await store.setLabel('greet', 2, 'staging');
      const info = await store.setLabel('greet', 2, 'production');
      expect(info.labels).toEqual(['latest', 'production', 'staging']);
      expect((await store.get({ id: 'greet', label: 'production' })).version).toBe(2);
      expect((await rejection(store.setLabel('greet', 1, 'latest'))).code).toBe('BAD_REQUEST');
      expect((await rejection(store.setLabel('greet', 9, 'staging'))).code).toBe(
        'TEMPLATE_NOT_FOUND',
      );
      expect((await rejection(store.get({ id: 'greet', label: 'nope' }))).code).toBe(
        'TEMPLATE_NOT_FOUND',
      );
      expect((await rejection(store.get({ id: 'greet', version: 9 }))).code).toBe(
        'TEMPLATE_NOT_FOUND',
      );
      expect((await rejection(store.get({ id: 'greet', version: 1, label: 'staging' }))).code).toBe(
        'BAD_REQUEST',
      );
    });

    it('lists version history newest first', async () => {
      const history = await store.versions('greet');
      expect(history.map((v) => [v.version, v.commitMessage, v.labels])).toEqual([
        [2, 'shorter', ['latest', 'production', 'staging']],
        [1, 'init', []],
      ]);
    });

    it('serializes racing updates: versions n+1 and n+2, none lost', async () => {
      await store.create('race', version());
      const other = concurrentOpen ? await h.open() : store;
      try {
        const writers = [store, other, store, other];
        const results = await Promise.all(
          writers.map((s, i) =>
            s.update('race', (l) =>
              version({ ...l, description: `writer ${i} after v${l.version}` }),
            ),
          ),
        );
        expect(results.map((r) => r.version).sort()).toEqual([2, 3, 4, 5]);
        const history = await store.versions('race');
        expect(history.map((v) => v.version)).toEqual([5, 4, 3, 2, 1]);
        // each writer saw the version just before its own: no update was computed from a stale base
        for (const r of results)
          expect(r.description).toMatch(new RegExp(`after v${r.version - 1}$`));
      } finally {
        if (other !== store) await other.close();
      }
    });

    it('lists with tag filter, text search and a stable opaque cursor', async () => {
      for (const id of ['list-a', 'list-b', 'list-c', 'list-d', 'list-e']) {
        await store.create(
          id,
          version({
            name: `List ${id.slice(-1).toUpperCase()}`,
            tags: id === 'list-c' ? ['special'] : ['bulk'],
          }),
        );
      }
      await store.create(
        'other_x',
        version({ description: 'Contains 100% of 50_percent \\ stuff', tags: ['misc'] }),
      );
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.list({ cursor, limit: 2 });
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((i) => i.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toEqual([...seen].sort());
      expect(seen).toEqual(
        expect.arrayContaining(['greet', 'list-a', 'list-e', 'other_x', 'race']),
      );
      expect(new Set(seen).size).toBe(seen.length);

      expect((await store.list({ tag: 'special' })).items.map((i) => i.id)).toEqual(['list-c']);
      expect((await store.list({ tag: 'bulk', limit: 3 })).items.map((i) => i.id)).toEqual([
        'list-a',
        'list-b',
        'list-d',
      ]);
      expect((await store.list({ search: 'LIST e' })).items.map((i) => i.id)).toEqual(['list-e']);
      expect((await store.list({ search: '100%' })).items.map((i) => i.id)).toEqual(['other_x']);
      expect((await store.list({ search: '0_p' })).items.map((i) => i.id)).toEqual(['other_x']);
      expect((await store.list({ search: '%' })).items.map((i) => i.id)).toEqual(['other_x']);
      expect((await store.list({ search: 'misc' })).items.map((i) => i.id)).toEqual(['other_x']);
      const greet = (await store.list({ search: 'greet' })).items[0];
      expect(greet).toMatchObject({
        id: 'greet',
        latestVersion: 2,
        labels: { latest: 2, production: 2, staging: 2 },
      });
      expect((await rejection(store.list({ cursor: 'not-a-cursor' }))).fieldErrors?.[0]?.path).toBe(
        'cursor',
      );
    });

    it('soft-deletes: the id stops resolving, versions stay, re-create continues numbering', async () => {
      await store.create('gone', version());
      await store.update('gone', (l) => version(l));
      await store.setLabel('gone', 1, 'production');
      await store.delete('gone');
      expect((await rejection(store.get({ id: 'gone' }))).code).toBe('TEMPLATE_NOT_FOUND');
      expect((await rejection(store.versions('gone'))).code).toBe('TEMPLATE_NOT_FOUND');
      expect((await rejection(store.delete('gone'))).code).toBe('TEMPLATE_NOT_FOUND');
      expect((await rejection(store.update('gone', (l) => version(l)))).code).toBe(
        'TEMPLATE_NOT_FOUND',
      );
      expect((await store.list({ search: 'gone' })).items).toEqual([]);
      const again = await store.create('gone', version({ template: 'Back <%= it.name %>' }));
      expect(again.version).toBe(3);
      expect(again.labels).toEqual(['latest']);
      expect((await store.versions('gone')).map((v) => v.version)).toEqual([3, 2, 1]);
      expect((await store.get({ id: 'gone', version: 1 })).template).toBe('Hello <%= it.name %>');
    });

    it('keeps everything across a restart, and migrations are idempotent', async () => {
      const before = await store.get({ id: 'greet', label: 'production' });
      await store.close();
      store = await h.open();
      expect(await store.get({ id: 'greet', label: 'production' })).toEqual(before);
      expect((await store.versions('race')).length).toBe(5);
      await store.ping();
    });
  });
}
