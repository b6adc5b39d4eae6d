import { randomBytes } from 'node:crypto';
import { connectRedis } from '@intellicore/llm-core';
import {
  type FakeOllama,
  postgresForTests,
  startFakeOllama,
  valkeyForTests,
} from '@intellicore/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyIdOf } from '../src/auth.js';
import { type GatewayProcess, startGatewayProcess } from './helpers/gateway-process.js';
import { createTestClient } from './helpers/trpc-client.js';

// Two gateway replicas — two processes running the real entry point — sharing one Valkey and
// one PostgreSQL, as in production.
// Isolation: a unique Valkey key prefix and PostgreSQL schema per run, both removed after.
const pgUrl = postgresForTests().url;
const valkeyUrl = valkeyForTests().url;
const run = randomBytes(4).toString('hex');
const prefix = `test-two-replicas-${run}:`;
const schema = `gw_two_replicas_${run}`;
const LIMIT = 5;

let fake: FakeOllama;
let a: GatewayProcess;
let b: GatewayProcess;

describe.skipIf(!pgUrl || !valkeyUrl)('two replicas on one Valkey and one PostgreSQL', () => {
  beforeAll(async () => {
    fake = await startFakeOllama();
    const env = {
      API_KEYS: 'lim,ua,ub',
      ADMIN_API_KEYS: 'adm',
      DATABASE_URL: pgUrl!,
      DATABASE_SCHEMA: schema,
      VALKEY_URL: valkeyUrl!,
      VALKEY_PREFIX: prefix,
      RATE_LIMIT_OVERRIDES: `${keyIdOf('lim')}:${LIMIT}:0`,
      CACHE_TTL_SECONDS: '60',
      OLLAMA_URL: fake.url,
      OLLAMA_DEFAULT_MODEL: 'llama3.2',
      OLLAMA_EMBEDDING_MODEL: 'nomic-embed-text',
      LOG_LEVEL: 'info', // the "listening on" line is how the helper finds the URL
    };
    [a, b] = await Promise.all([startGatewayProcess(env), startGatewayProcess(env)]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await fake?.close();
    const redis = await connectRedis(valkeyUrl!);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
    const client = new pg.Client({ connectionString: pgUrl });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  });

  it('the per-key limit is global: both replicas together allow at most limit + 1', async () => {
    // 12 concurrent requests, 6 per replica. Valkey decides atomically (one Lua script with
    // the server's clock), so exactly LIMIT is expected; the contract bound is LIMIT + 1. A
    // per-replica limit would allow 2 × LIMIT = 10, which fails here.
    const post = (gw: GatewayProcess) =>
      fetch(`${gw.url}/v1/embeddings`, {
        method: 'POST',
        headers: { authorization: 'Bearer lim', 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'nomic-embed-text', input: `limit ${Math.random()}` }),
      }).then(async (r) => {
        await r.text();
        return r.status;
      });
    const statuses = await Promise.all(
      Array.from({ length: 12 }, (_, i) => post(i % 2 === 0 ? a : b)),
    );
    const allowed = statuses.filter((s) => s === 200).length;
    expect(statuses.filter((s) => s !== 200 && s !== 429)).toEqual([]);
    expect(allowed).toBeGreaterThanOrEqual(LIMIT);
    expect(allowed).toBeLessThanOrEqual(LIMIT + 1);
    for (const gw of [a, b]) {
      const metrics = await fetch(`${gw.url}/metrics`).then((r) => r.text());
      expect(metrics).toContain('gateway_rate_limit_backend{backend="valkey"} 1');
    }
  });

  it('a template written on one replica renders on the other', async () => {
    const id = `shared-${run}`;
    await createTestClient(a.url, 'adm').templates.create.mutate({
      id,
      name: 'Shared',
      template: 'Hello <%= it.name %> from replica A.',
      variables: [{ name: 'name', type: 'string', required: true }],
    });
    const rendered = await createTestClient(b.url, 'ua').templates.render.mutate({
      id,
      variables: { name: 'B' },
    });
    expect(rendered.prompt).toBe('Hello B from replica A.');
  });

  it('an embedding cached by one replica is a hit on the other', async () => {
    const input = `cache me ${run}`;
    const first = await createTestClient(a.url, 'ua').chat.embed.mutate({ input });
    expect(first.cached).toBe(false);
    const calls = fake.journal.entries().filter((e) => e.path === '/api/embed').length;
    const second = await createTestClient(b.url, 'ua').chat.embed.mutate({ input });
    expect(second.cached).toBe(true);
    expect(second.embedding).toEqual(first.embedding);
    expect(fake.journal.entries().filter((e) => e.path === '/api/embed').length).toBe(calls);
    const metrics = await fetch(`${b.url}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(/gateway_cache_events_total\{event="hit"\} [1-9]/);
  });

  it('usage from both replicas appears in one summary (B flushes on graceful shutdown)', async () => {
    const hello = [{ role: 'user' as const, content: 'hello' }];
    await createTestClient(a.url, 'ua').chat.completion.mutate({ messages: hello });
    await createTestClient(b.url, 'ub').chat.completion.mutate({ messages: hello });
    await createTestClient(b.url, 'ub').chat.completion.mutate({ messages: hello });
    // Stopped at once (before its 1 s batch timer, usually): SIGTERM flushes the usage queue.
    expect(await b.stop()).toBe(0);
    const summary = async () => {
      const out = await createTestClient(a.url, 'adm').usage.summary.query({ groupBy: 'key' });
      return Object.fromEntries(out.rows.map((r) => [r.group, r.requests]));
    };
    // ua: an embed on A, an embed on B (a cache hit, still a request) and a chat on A; ub: two
    // chats on B. (Rendering a template calls no model and records nothing.)
    const expected = { [keyIdOf('ua')]: 3, [keyIdOf('ub')]: 2 };
    await expect.poll(summary, { timeout: 5000 }).toMatchObject(expected);
    expect((await summary())[keyIdOf('lim')]).toBeGreaterThanOrEqual(LIMIT);
  });
});
