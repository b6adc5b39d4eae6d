import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postgresForTests } from '@intellicore/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryRequestLog } from '../src/stores/requests/memory-request-log.js';
import { openRequestLog } from '../src/stores/requests/open-request-log.js';
import type { RequestLogBackend, RequestLogEntry } from '../src/stores/requests/request-log.js';

const postgres = postgresForTests();
const dir = mkdtempSync(join(tmpdir(), 'request-log-'));
const schema = `request_log_test_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const T0 = Date.parse('2026-11-30T10:00:00Z');

function entry(i: number, over: Partial<RequestLogEntry> = {}): RequestLogEntry {
  return {
    id: `req-${i}`,
    at: new Date(T0 + i * 1000).toISOString(),
    door: (['trpc', 'rest', 'openai', 'anthropic', 'ollama'] as const)[i % 5]!,
    route: '/v1/chat/completions',
    operation: 'chat',
    keyId: i % 2 ? 'key_odd' : 'key_even',
    keyName: i % 2 ? 'odd' : 'even',
    model: i % 3 ? 'llama3.2' : 'mistral',
    servedModel: i % 3 ? 'llama3.2' : 'mistral',
    status: i % 10 === 0 ? 503 : 200,
    ...(i % 10 === 0 ? { code: 'UPSTREAM_UNAVAILABLE' } : {}),
    stream: false,
    durationMs: i,
    cached: false,
    timeline: [{ name: 'done', startMs: i }],
    ...over,
  };
}

/** Every page of a query, following cursors. */
async function all(log: RequestLogBackend, query = {}): Promise<RequestLogEntry[]> {
  const out: RequestLogEntry[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await log.list({ ...query, limit: 500, ...(cursor ? { cursor } : {}) });
    out.push(...page.items);
    if (!page.nextCursor) return out;
    cursor = page.nextCursor;
  }
}

describe('memory ring', () => {
  it('keeps the last `capacity` of 10,000 requests, newest first, pages without gaps', async () => {
    const log = new MemoryRequestLog(1000);
    for (let i = 0; i < 10_000; i++) log.add(entry(i));
    expect(log.size).toBe(1000);
    const kept = await all(log);
    expect(kept.map((e) => e.id)).toEqual(
      Array.from({ length: 1000 }, (_, k) => `req-${9999 - k}`),
    );
    expect(await log.get('req-9000')).toMatchObject({ id: 'req-9000' });
    expect(await log.get('req-8999')).toBeUndefined(); // overwritten
  });

  it('a page stays stable while new requests arrive', async () => {
    const log = new MemoryRequestLog(100);
    for (let i = 0; i < 50; i++) log.add(entry(i));
    const first = await log.list({ limit: 10 });
    for (let i = 50; i < 60; i++) log.add(entry(i));
    const second = await log.list({ limit: 10, cursor: first.nextCursor });
    expect(second.items.map((e) => e.id)).toEqual(
      Array.from({ length: 10 }, (_, k) => `req-${39 - k}`),
    );
  });

  it('filters by model, key (name or id), code, door and time', async () => {
    const log = new MemoryRequestLog(1000);
    for (let i = 0; i < 100; i++) log.add(entry(i));
    expect((await all(log, { model: 'mistral' })).every((e) => e.model === 'mistral')).toBe(true);
    expect(await all(log, { key: 'odd' })).toHaveLength(50);
    expect(await all(log, { key: 'key_odd' })).toHaveLength(50);
    expect(await all(log, { code: 'UPSTREAM_UNAVAILABLE' })).toHaveLength(10);
    expect(await all(log, { code: 'ok' })).toHaveLength(90);
    expect(await all(log, { door: 'anthropic' })).toHaveLength(20);
    const since = new Date(T0 + 90_000);
    const until = new Date(T0 + 95_000);
    expect((await all(log, { since, until })).map((e) => e.id)).toEqual([
      'req-94',
      'req-93',
      'req-92',
      'req-91',
      'req-90',
    ]);
  });
});

const stores = [
  { name: 'SQLite', skip: false, url: () => join(dir, 'gateway.db') },
  { name: 'PostgreSQL', skip: !postgres.url, url: () => postgres.url! },
];

describe.each(stores)('stored ($name, REQUEST_LOG_RETENTION)', ({ skip, url }) => {
  it.skipIf(skip)(
    'keeps 10,000 requests in order, filters, pages and prunes',
    async () => {
      const log = await openRequestLog({
        capacity: 100,
        retentionMs: 7 * 86_400_000,
        databaseUrl: url(),
        schema,
      });
      try {
        // Written in arrival order; listing reads the store (every replica's), not the ring.
        for (let i = 0; i < 10_000; i++) log.add(entry(i, { at: new Date().toISOString() }));
        const kept = await all(log);
        expect(kept).toHaveLength(10_000);
        expect(kept[0]?.id).toBe('req-9999');
        expect(kept.at(-1)?.id).toBe('req-0');
        expect(await all(log, { code: 'UPSTREAM_UNAVAILABLE', door: 'trpc' })).toHaveLength(1000);
        expect(await all(log, { key: 'odd', model: 'mistral' })).toHaveLength(1667);
        expect(await log.get('req-5')).toMatchObject({ id: 'req-5', keyName: 'odd' });
        // Older than the retention: pruned on the next write.
        log.add(entry(-1, { at: new Date(Date.now() - 8 * 86_400_000).toISOString() }));
        await log.stored!.flush();
        const stale = await openRequestLog({
          capacity: 1,
          retentionMs: 7 * 86_400_000,
          databaseUrl: url(),
          schema,
        });
        stale.add(entry(10_001, { at: new Date().toISOString() }));
        await stale.stored!.flush();
        expect(await stale.get('req--1')).toBeUndefined();
        await stale.close();
      } finally {
        await log.close();
      }
    },
    60_000,
  );
});
