// The key store on SQLite and on the real PostgreSQL, the directory that caches it (one replica
// and two, with Valkey change notices), and the admin key service.
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postgresForTests, valkeyForTests } from '@intellicore/testkit';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { GatewayError } from '../src/errors.js';
import { KeyDirectory } from '../src/keys/key-directory.js';
import { hashSecret } from '../src/keys/key-model.js';
import { createKeyService } from '../src/keys/key-service.js';
import { closeRedis, connectRedis } from '../src/limits/redis-client.js';
import type { RequestContext } from '../src/service/context.js';
import type { KeyStore } from '../src/stores/keys/key-store.js';
import { PostgresKeyStore } from '../src/stores/keys/postgres-key-store.js';
import { SqliteKeyStore } from '../src/stores/keys/sqlite-key-store.js';

const postgres = postgresForTests();
const valkey = valkeyForTests();
const dir = mkdtempSync(join(tmpdir(), 'key-store-'));
const schemaBase = `keys_test_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
let n = 0;
const admin: RequestContext = { caller: { keyId: 'key_admin', admin: true }, door: 'trpc' };
const user: RequestContext = { caller: { keyId: 'key_user', admin: false }, door: 'trpc' };

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

const kinds = [
  {
    name: 'SQLite',
    skip: false,
    make: (): KeyStore => new SqliteKeyStore(join(dir, `k${++n}.db`)),
  },
  {
    name: 'PostgreSQL',
    skip: !postgres.url,
    make: (schema = `${schemaBase}_${++n}`): KeyStore =>
      new PostgresKeyStore({ connectionString: postgres.url!, schema }),
  },
];

async function open(make: () => KeyStore): Promise<KeyStore> {
  const store = make();
  await store.migrate();
  await store.migrate(); // idempotent
  closers.push(() => store.close());
  return store;
}

async function directoryOn(
  store: KeyStore,
  extra: Partial<Parameters<typeof KeyDirectory.open>[0]> = {},
) {
  const directory = await KeyDirectory.open({ store, ...extra });
  closers.push(() => directory.close());
  return directory;
}

for (const kind of kinds) {
  describe.skipIf(kind.skip)(`key store and service on ${kind.name}`, () => {
    it('creates a key whose secret is returned once and stored only as a hash and a prefix', async () => {
      const store = await open(kind.make);
      const directory = await directoryOn(store);
      const keys = createKeyService({
        store,
        directory,
        envAdmin: true,
        isModelAllowed: (m) => m !== 'forbidden',
      });
      const created = await keys.create(
        {
          name: 'team-a',
          models: ['llama3.2'],
          rpm: 5,
          tpm: 0,
          budget: { tokens: 1000, period: 'day' },
        },
        admin,
      );
      expect(created.key).toMatch(/^ick_[A-Za-z0-9_-]{32}$/);
      expect(created.prefix).toBe(created.key.slice(0, 12));
      const [record] = await store.list();
      expect(record).toMatchObject({
        id: created.id,
        name: 'team-a',
        hash: hashSecret(created.key),
      });
      expect(JSON.stringify(await store.list())).not.toContain(created.key);

      const listed = await keys.list(admin);
      expect(listed).toHaveLength(1);
      expect(listed[0]).toMatchObject({
        id: created.id,
        models: ['llama3.2'],
        rpm: 5,
        tpm: 0,
        budget: { tokens: 1000, period: 'day' },
        active: true,
        usage: { period: 'day', requests: 0, tokens: 0 },
      });
      expect(JSON.stringify(listed)).not.toContain(created.key);
      expect(listed[0]).not.toHaveProperty('hash');

      const found = directory.lookup(hashSecret(created.key));
      expect(found).toEqual({
        caller: {
          keyId: created.id,
          name: 'team-a',
          admin: false,
          models: ['llama3.2'],
          limits: { requestsPerMinute: 5, tokensPerMinute: null },
          budget: { tokens: 1000, period: 'day' },
        },
      });
    });

    it('updates, revokes, expires; refuses bad settings, duplicate names and non-admins', async () => {
      const store = await open(kind.make);
      const directory = await directoryOn(store);
      const keys = createKeyService({
        store,
        directory,
        envAdmin: true,
        isModelAllowed: (m) => m !== 'forbidden',
      });
      const a = await keys.create({ name: 'a' }, admin);
      const hash = hashSecret(a.key);

      const updated = await keys.update(
        a.id,
        { admin: true, models: ['mistral'], budget: null },
        admin,
      );
      expect(updated).toMatchObject({ admin: true, models: ['mistral'], budget: null });
      expect(directory.lookup(hash)).toMatchObject({
        caller: { admin: true, models: ['mistral'] },
      });

      await keys.update(a.id, { expiresAt: new Date(Date.now() - 1000) }, admin);
      expect(directory.lookup(hash)).toEqual({ expired: true });

      await keys.revoke(a.id, admin);
      expect(directory.lookup(hash)).toBeUndefined();
      expect(directory.nameOf(a.id)).toBe('a'); // still labels its old usage
      expect((await keys.list(admin))[0]).toMatchObject({ active: false });

      const codes = async (p: Promise<unknown>) =>
        p.then(
          () => 'ok',
          (e: GatewayError) => [e.code, ...(e.fieldErrors ?? []).map((f) => f.path)].join(' '),
        );
      expect(await codes(keys.create({ name: ' ', rpm: -1, models: ['forbidden'] }, admin))).toBe(
        'BAD_REQUEST name rpm models.0',
      );
      expect(
        await codes(keys.create({ name: 'x', budget: { tokens: 0, period: 'day' } }, admin)),
      ).toBe('BAD_REQUEST budget.tokens');
      await keys.create({ name: 'b' }, admin);
      expect(await codes(keys.create({ name: 'b' }, admin))).toBe('CONFLICT');
      expect(await codes(keys.create({ name: 'a' }, admin))).toBe('ok'); // 'a' was revoked
      expect(await codes(keys.create({ name: 'c' }, user))).toBe('FORBIDDEN');
      expect(await codes(keys.list(user))).toBe('FORBIDDEN');
      expect(await codes(keys.revoke('key_nope', admin))).toBe('NOT_FOUND');
      expect(await codes(keys.update('key_nope', { admin: true }, admin))).toBe('NOT_FOUND');
    });

    it('without ADMIN_API_KEYS, never leaves active keys with no admin among them', async () => {
      const store = await open(kind.make);
      const directory = await directoryOn(store);
      // Open mode: no env keys, so the caller is admin only until the first key exists.
      const keys = createKeyService({ store, directory });
      const refused = async (p: Promise<unknown>) => {
        const error = await p.then(
          () => undefined,
          (e: unknown) => e as GatewayError,
        );
        expect(error?.code).toBe('CONFLICT');
        expect(error?.message).toMatch(/^No admin key would remain/);
      };
      await refused(keys.create({ name: 'first-user' }, admin));
      expect(await store.list()).toEqual([]);
      const root = await keys.create({ name: 'root', admin: true }, admin);
      const worker = await keys.create({ name: 'worker' }, admin);
      // The last admin key can be neither demoted, expired nor revoked while a user key remains…
      await refused(keys.update(root.id, { admin: false }, admin));
      await refused(keys.update(root.id, { expiresAt: new Date(Date.now() - 1000) }, admin));
      await refused(keys.revoke(root.id, admin));
      // …but can once another admin exists, or once it is the last key of all.
      const second = await keys.create({ name: 'second-admin', admin: true }, admin);
      await keys.revoke(root.id, admin);
      await keys.revoke(worker.id, admin);
      await keys.revoke(second.id, admin);
      expect((await keys.list(admin)).every((k) => !k.active)).toBe(true);
      // With ADMIN_API_KEYS an admin always exists: a first user key is fine.
      const withEnvAdmin = createKeyService({ store, directory, envAdmin: true });
      await withEnvAdmin.create({ name: 'user-only' }, admin);
    });

    it('admin changes run one at a time, on one replica and across two', async () => {
      // PostgreSQL: two replicas (stores and services of their own on one schema). SQLite: one.
      const schema = `${schemaBase}_${++n}`;
      const first = await open(() => kind.make(schema));
      const second = kind.name === 'PostgreSQL' ? await open(() => kind.make(schema)) : first;
      const a = createKeyService({ store: first, directory: await directoryOn(first) });
      const b = createKeyService({ store: second, directory: await directoryOn(second) });
      const outcome = (p: Promise<unknown>) =>
        p.then(
          () => 'ok',
          (e: GatewayError) => e.code,
        );
      let survivor: string | undefined;
      for (let round = 0; round < 5; round++) {
        const x = await a.create({ name: `admin-x-${round}`, admin: true }, admin);
        const y = await b.create({ name: `admin-y-${round}`, admin: true }, admin);
        if (round === 0) await a.create({ name: 'worker' }, admin);
        if (survivor) await a.revoke(survivor, admin);
        // Two admin keys (x, y) and a user key. Unserialized, both checks read the store before
        // either write: both passed, and no admin was left.
        const results = await Promise.all([
          outcome(a.revoke(x.id, admin)),
          outcome(b.revoke(y.id, admin)),
        ]);
        expect(results.sort()).toEqual(['CONFLICT', 'ok']);
        const adminsLeft = (await a.list(admin)).filter((k) => k.active && k.admin);
        expect(adminsLeft).toHaveLength(1);
        survivor = adminsLeft[0]?.id;
        const names = await Promise.all([
          outcome(a.create({ name: `same-${round}` }, admin)),
          outcome(b.create({ name: `same-${round}` }, admin)),
        ]);
        expect(names.sort()).toEqual(['CONFLICT', 'ok']);
      }
    });

    it('writes lastUsedAt in batches, not per lookup; only changes move the revision', async () => {
      const store = await open(kind.make);
      const directory = await directoryOn(store);
      const keys = createKeyService({ store, directory, envAdmin: true });
      const empty = await store.revision();
      const a = await keys.create({ name: 'a' }, admin);
      const created = await store.revision();
      await keys.update(a.id, { rpm: 1 }, admin);
      const updated = await store.revision();
      expect(new Set([empty, created, updated]).size).toBe(3);
      for (let i = 0; i < 100; i++) directory.lookup(hashSecret(a.key));
      expect((await store.get(a.id))?.lastUsedAt).toBeNull();
      await directory.flushTouches();
      const at = (await store.get(a.id))?.lastUsedAt;
      expect(at).toBeInstanceOf(Date);
      expect(Math.abs((at as Date).getTime() - Date.now())).toBeLessThan(5000);
      expect(await store.revision()).toBe(updated); // being used is not a change
      await keys.revoke(a.id, admin);
      expect(await store.revision()).not.toBe(updated);
    });
  });
}

describe.skipIf(!postgres.url)('two directories on one PostgreSQL store', () => {
  let redis: Redis[] = [];
  afterAll(async () => {
    await Promise.all(redis.map(closeRedis));
    redis = [];
  });

  it.skipIf(!valkey.url)(
    'a revoke on one replica stops the key on the other within 1 s (Valkey notice)',
    async () => {
      const schema = `${schemaBase}_pair${++n}`;
      const storeA = await open(() => kinds[1]!.make(schema));
      const storeB = await open(() => kinds[1]!.make(schema));
      const keyPrefix = `test:keys:${randomUUID()}:`;
      const [ra, rb] = [await connectRedis(valkey.url!), await connectRedis(valkey.url!)];
      redis.push(ra, rb);
      // A refresh far too slow to explain what happens: only the notice can.
      const a = await directoryOn(storeA, { redis: ra, keyPrefix, refreshMs: 60_000 });
      const b = await directoryOn(storeB, { redis: rb, keyPrefix, refreshMs: 60_000 });
      await new Promise((r) => setTimeout(r, 200)); // subscriptions up
      const keys = createKeyService({ store: storeA, directory: a, envAdmin: true });
      const created = await keys.create({ name: 'shared' }, admin);
      const hash = hashSecret(created.key);
      await waitFor(() => b.lookup(hash) !== undefined, 1000);

      const started = Date.now();
      await keys.revoke(created.id, admin);
      await waitFor(() => b.lookup(hash) === undefined, 1000);
      expect(Date.now() - started).toBeLessThan(1000);
    },
  );

  it('without Valkey, the short refresh still brings a change to the other replica', async () => {
    const schema = `${schemaBase}_pair${++n}`;
    const storeA = await open(() => kinds[1]!.make(schema));
    const storeB = await open(() => kinds[1]!.make(schema));
    const a = await directoryOn(storeA);
    const b = await directoryOn(storeB, { refreshMs: 200 });
    const created = await createKeyService({ store: storeA, directory: a, envAdmin: true }).create(
      { name: 'x' },
      admin,
    );
    await waitFor(() => b.lookup(hashSecret(created.key)) !== undefined, 1000);
  });
});

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
