import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postgresForTests } from '@intellicore/testkit';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { UsageRecord } from '../src/service/hooks.js';
import { BatchedUsageSink } from '../src/stores/usage/batched-usage-sink.js';
import { openUsageStore } from '../src/stores/usage/open-usage-store.js';
import { PostgresUsageStore } from '../src/stores/usage/postgres-usage-store.js';
import { SqliteUsageStore } from '../src/stores/usage/sqlite-usage-store.js';
import type { UsageStore } from '../src/stores/usage/usage-store.js';

const postgres = postgresForTests();
const dir = mkdtempSync(join(tmpdir(), 'usage-store-'));
/** One schema per run of this file; each test adds its own suffix. */
const schemaBase = `usage_test_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
let n = 0;

interface StoreKind {
  name: string;
  skip: boolean;
  /** A fresh, unmigrated store of its own. */
  make(): UsageStore;
}

const kinds: StoreKind[] = [
  {
    name: 'SQLite',
    skip: false,
    make: () => new SqliteUsageStore({ filename: join(dir, `u${++n}.db`) }),
  },
  {
    name: 'PostgreSQL',
    skip: !postgres.url,
    make: () =>
      new PostgresUsageStore({ connectionString: postgres.url!, schema: `${schemaBase}_${++n}` }),
  },
];

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  if (!postgres.url) return;
  const client = new pg.Client({ connectionString: postgres.url });
  await client.connect();
  const { rows } = await client.query<{ nspname: string }>(
    'SELECT nspname FROM pg_namespace WHERE nspname LIKE $1',
    [`${schemaBase}%`],
  );
  for (const { nspname } of rows) await client.query(`DROP SCHEMA "${nspname}" CASCADE`);
  await client.end();
});

const day = (d: number, h = 12) => new Date(Date.UTC(2026, 0, d, h));

function rec(over: Partial<UsageRecord>): UsageRecord {
  return {
    at: day(1),
    keyId: 'key_a',
    door: 'trpc',
    operation: 'chat',
    model: 'llama3.2:latest',
    promptTokens: 10,
    completionTokens: 5,
    durationMs: 100,
    status: 'ok',
    cached: false,
    ...over,
  };
}

const sample: UsageRecord[] = [
  rec({ ttftMs: 20, templateId: 'greet', templateVersion: 1, upstream: 'u1', requestId: 'r1' }),
  rec({
    at: day(1, 23),
    keyId: 'key_b',
    door: 'openai',
    durationMs: 300,
    cached: true,
    promptTokens: 7,
    completionTokens: 0,
  }),
  rec({
    at: day(2, 0),
    model: 'nomic-embed-text:latest',
    operation: 'embed',
    completionTokens: 0,
    keyId: null,
    door: 'ollama',
  }),
  rec({
    at: day(3),
    templateId: 'greet',
    templateVersion: 2,
    status: 'UPSTREAM_ERROR',
    ttftMs: 40,
  }),
];

describe.each(kinds)('usage store: $name', ({ skip, make }) => {
  const stores: UsageStore[] = [];
  const open = () => {
    const store = make();
    stores.push(store);
    return store;
  };
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
  });

  it.skipIf(skip)('migrates idempotently, also when two replicas start at once', async () => {
    const first = open();
    await Promise.all([first.migrate(), first.migrate()]);
    await first.migrate();
    await first.insert([rec({})]);
    expect((await first.summary({ groupBy: 'model' }))[0]?.requests).toBe(1);
    await first.ping();
    await first.close();
    await expect(first.ping()).rejects.toThrow();
  });

  it.skipIf(skip)('sums per key, model, template and UTC day, null groups last', async () => {
    const store = open();
    await store.migrate();
    await store.insert(sample);

    const byKey = await store.summary({ groupBy: 'key' });
    expect(byKey.map((r) => [r.group, r.requests, r.totalTokens])).toEqual([
      ['key_a', 2, 30],
      ['key_b', 1, 7],
      [null, 1, 10],
    ]);
    expect(byKey[0]).toMatchObject({
      promptTokens: 20,
      completionTokens: 10,
      errorRequests: 1,
      avgTtftMs: 30,
      avgDurationMs: 100,
    });
    expect(byKey[1]).toMatchObject({ cachedRequests: 1, avgTtftMs: null, avgDurationMs: 300 });

    const byModel = await store.summary({ groupBy: 'model' });
    expect(byModel.map((r) => [r.group, r.requests])).toEqual([
      ['llama3.2:latest', 3],
      ['nomic-embed-text:latest', 1],
    ]);

    const byTemplate = await store.summary({ groupBy: 'template' });
    expect(byTemplate.map((r) => [r.group, r.requests])).toEqual([
      ['greet@1', 1],
      ['greet@2', 1],
      [null, 2],
    ]);

    const byDay = await store.summary({ groupBy: 'day' });
    expect(byDay.map((r) => [r.group, r.requests])).toEqual([
      ['2026-01-01', 2],
      ['2026-01-02', 1],
      ['2026-01-03', 1],
    ]);
  });

  it.skipIf(skip)('filters by time: from inclusive, to exclusive', async () => {
    const store = open();
    await store.migrate();
    await store.insert(sample);
    const window = await store.summary({ groupBy: 'day', from: day(1, 23), to: day(3) });
    expect(window.map((r) => [r.group, r.requests])).toEqual([
      ['2026-01-01', 1],
      ['2026-01-02', 1],
    ]);
    expect(await store.summary({ groupBy: 'key', from: day(4) })).toEqual([]);
  });

  it.skipIf(skip)(
    'sink: record() returns at once; a full batch is written without a flush',
    async () => {
      const store = open();
      await store.migrate();
      const sink = new BatchedUsageSink({
        store,
        maxBatchSize: 3,
        flushIntervalMs: 60_000,
        closeStore: false,
      });
      sink.record(rec({}));
      sink.record(rec({}));
      expect(sink.stats()).toMatchObject({ queued: 2, written: 0 });
      sink.record(rec({}));
      await vi.waitFor(() => expect(sink.stats().written).toBe(3), { timeout: 5000, interval: 10 });
      expect((await store.summary({ groupBy: 'key' }))[0]?.requests).toBe(3);
      await sink.close();
    },
  );

  it.skipIf(skip)('sink: a partial batch goes out on the timer', async () => {
    const store = open();
    await store.migrate();
    const sink = new BatchedUsageSink({
      store,
      maxBatchSize: 100,
      flushIntervalMs: 20,
      closeStore: false,
    });
    sink.record(rec({}));
    await vi.waitFor(() => expect(sink.stats().written).toBe(1), { timeout: 5000, interval: 10 });
    await sink.close();
  });

  it.skipIf(skip)('sink: close flushes everything, then closes the store', async () => {
    const store = open();
    await store.migrate();
    const sink = new BatchedUsageSink({ store, maxBatchSize: 2, flushIntervalMs: 60_000 });
    for (let i = 0; i < 5; i++) sink.record(rec({ keyId: `key_${i % 2}` }));
    await sink.close();
    expect(sink.stats()).toMatchObject({ queued: 0, written: 5 });
    sink.record(rec({})); // after close: ignored, no throw
    await expect(store.summary({ groupBy: 'key' })).rejects.toThrow();
  });

  it.skipIf(skip)(
    'sink: keeps records while the store fails and writes them once it works',
    async () => {
      const store = open(); // not migrated yet: the table is missing, inserts fail
      const failures: number[] = [];
      const sink = new BatchedUsageSink({
        store,
        maxBatchSize: 10,
        flushIntervalMs: 60_000,
        maxQueued: 4,
        closeStore: false,
        onWriteError: (_e, records) => failures.push(records),
      });
      for (let i = 0; i < 6; i++) sink.record(rec({ requestId: `r${i}` }));
      await sink.flush();
      expect(failures.length).toBeGreaterThan(0);
      // Bounded: the two oldest were dropped, four are waiting.
      expect(sink.stats()).toMatchObject({ queued: 4, dropped: 2, written: 0 });
      await store.migrate();
      await sink.flush();
      expect(sink.stats()).toMatchObject({ queued: 0, written: 4 });
      expect((await store.summary({ groupBy: 'key' }))[0]?.requests).toBe(4);
      await sink.close();
    },
  );
});

describe('openUsageStore', () => {
  it('opens a migrated SQLite file for a path (folders created)', async () => {
    const store = await openUsageStore(join(dir, 'nested', 'deeper', 'gateway.db'));
    expect(store.kind).toBe('sqlite');
    await store.insert([rec({})]);
    expect(await store.summary({ groupBy: 'key' })).toHaveLength(1);
    await store.close();
    await store.close();
  });

  it.skipIf(!postgres.url)('opens a migrated PostgreSQL store for a postgres:// URL', async () => {
    const store = await openUsageStore(postgres.url, { schema: `${schemaBase}_open` });
    expect(store.kind).toBe('postgres');
    await store.insert([rec({})]);
    expect(await store.summary({ groupBy: 'key' })).toHaveLength(1);
    await store.close();
  });

  it.skipIf(!postgres.url)(
    'without a schema option, follows the search_path of the URL',
    async () => {
      const schema = `${schemaBase}_path`;
      const admin = new pg.Client({ connectionString: postgres.url });
      await admin.connect();
      await admin.query(`CREATE SCHEMA "${schema}"`);
      try {
        const url = new URL(postgres.url!);
        url.searchParams.set('options', `-c search_path=${schema}`);
        const store = await openUsageStore(url.toString());
        await store.insert([rec({}), rec({})]);
        await store.close();
        const { rows } = await admin.query(
          `SELECT COUNT(*)::int AS n FROM "${schema}".usage_records`,
        );
        expect(rows[0].n).toBe(2);
      } finally {
        await admin.end();
      }
    },
  );
});
