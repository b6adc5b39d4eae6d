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
import { type GatewayProcess, startGatewayProcess } from './helpers/gateway-process.js';
import { rest } from './helpers/rest.js';
import { createTestClient } from './helpers/trpc-client.js';

// Stored keys on two gateway replicas — two processes running the real entry point — sharing
// one PostgreSQL (the keys) and one Valkey (change notices, budgets, limits), as in production.
// Isolation: a unique Valkey key prefix and PostgreSQL schema per run, both removed after.
const pgUrl = postgresForTests().url;
const valkeyUrl = valkeyForTests().url;
const run = randomBytes(4).toString('hex');
const prefix = `test-keys-replicas-${run}:`;
const schema = `gw_keys_replicas_${run}`;

let fake: FakeOllama;
let a: GatewayProcess;
let b: GatewayProcess;
/** Every secret created here: none may show up in logs, metrics or usage records. */
const secrets: string[] = [];

async function createKey(
  input: Parameters<ReturnType<typeof createTestClient>['keys']['create']['mutate']>[0],
) {
  const created = await createTestClient(a.url, 'adm').keys.create.mutate(input);
  secrets.push(created.key);
  return created;
}

const chat = (gw: GatewayProcess, key: string, content = 'hello budget') =>
  rest(gw.url, 'POST', '/v1/chat/completions', {
    key,
    body: { model: 'llama3.2', messages: [{ role: 'user', content }] },
  });

async function until(condition: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return Date.now() - started;
}

describe.skipIf(!pgUrl || !valkeyUrl)('stored keys on two replicas (PostgreSQL + Valkey)', () => {
  beforeAll(async () => {
    fake = await startFakeOllama();
    const env = {
      ADMIN_API_KEYS: 'adm',
      DATABASE_URL: pgUrl!,
      DATABASE_SCHEMA: schema,
      VALKEY_URL: valkeyUrl!,
      VALKEY_PREFIX: prefix,
      OLLAMA_URL: fake.url,
      OLLAMA_DEFAULT_MODEL: 'llama3.2',
      OLLAMA_EMBEDDING_MODEL: 'nomic-embed-text',
      LOG_LEVEL: 'debug', // as much log as there is: no secret may be in it
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

  it('a key created on A works on B; revoked on A, B refuses it within 1 s', async () => {
    const { id, key } = await createKey({ name: 'handed-out' });
    const models = (gw: GatewayProcess) => rest(gw.url, 'GET', '/v1/models', { key });
    await until(async () => (await models(b)).status === 200, 1000);
    expect((await chat(b, key)).status).toBe(200);

    const revoked = await rest(a.url, 'DELETE', `/api/v1/keys/${id}`, { key: 'adm' });
    expect(revoked.status).toBe(200);
    const took = await until(async () => (await models(b)).status === 401, 1000);
    expect(took).toBeLessThan(1000);
    expect((await models(a)).status).toBe(401);
    console.info(`revoke on A → refused on B after ${took} ms`);
  });

  it('a budget holds across replicas: at most one request’s worth over, then 429 on both', async () => {
    const budget = 60;
    const { key } = await createKey({
      name: 'budgeted',
      budget: { tokens: budget, period: 'day' },
    });
    let spent = 0;
    let last = 0;
    let refusal: Awaited<ReturnType<typeof chat>> | undefined;
    for (let i = 0; i < 40 && !refusal; i++) {
      const answer = await chat(i % 2 === 0 ? a : b, key, `hello budget ${i}`);
      if (answer.status === 200) {
        last = answer.json.usage.total_tokens;
        spent += last;
      } else refusal = answer;
    }
    expect(refusal?.status).toBe(429);
    expect(refusal?.json.error.code).toBe('BUDGET_EXCEEDED');
    expect(refusal?.json.error.message).toMatch(/resets at \d{4}-\d\d-\d\dT00:00:00/);
    expect(Number(refusal?.headers.get('retry-after'))).toBeGreaterThan(0);
    // The REST front carries when it resets as a field too.
    const restRefusal = await rest(b.url, 'POST', '/api/v1/chat/completions', {
      key,
      body: { messages: [{ role: 'user', content: 'more' }] },
    });
    expect(restRefusal.status).toBe(429);
    expect(Date.parse(restRefusal.json.error.details.resetsAt)).toBeGreaterThan(Date.now());
    expect(spent).toBeGreaterThanOrEqual(budget); // nothing refused early
    expect(spent - last).toBeLessThan(budget); // the last admitted one started under budget
    for (const gw of [a, b]) expect((await chat(gw, key)).status).toBe(429);

    const listed = await createTestClient(b.url, 'adm').keys.list.query();
    expect(listed.find((k) => k.name === 'budgeted')?.usage.budgetSpent).toBe(spent);
  });

  it('a key’s rpm holds across replicas (replacing the default: none here)', async () => {
    const { key } = await createKey({ name: 'limited', rpm: 3 });
    await until(async () => (await rest(b.url, 'GET', '/v1/models', { key })).status === 200, 1000);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await chat(i % 2 === 0 ? a : b, key)).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
  });

  it('usage.summary names stored keys; secrets are in no log, metric or record', async () => {
    const summary = async () => {
      const out = await createTestClient(b.url, 'adm').usage.summary.query({ groupBy: 'key' });
      return out.rows.map((r) => r.name).filter(Boolean);
    };
    await expect
      .poll(summary, { timeout: 5000 })
      .toEqual(expect.arrayContaining(['handed-out', 'budgeted', 'limited']));

    const client = new pg.Client({ connectionString: pgUrl });
    await client.connect();
    const usage = await client.query(`SELECT * FROM "${schema}".usage_records`);
    const keys = await client.query(`SELECT * FROM "${schema}".api_keys`);
    await client.end();
    expect(usage.rows.length).toBeGreaterThan(5);
    const metrics = await Promise.all([a, b].map((gw) => rest(gw.url, 'GET', '/metrics')));
    const places = {
      logs: a.output() + b.output(),
      metrics: metrics.map((m) => m.text).join('\n'),
      usage: JSON.stringify(usage.rows),
      keyTable: JSON.stringify(keys.rows),
    };
    expect(places.logs.length).toBeGreaterThan(1000);
    for (const secret of secrets) {
      for (const [where, text] of Object.entries(places)) {
        expect(text.includes(secret), `${where} holds a secret`).toBe(false);
        // Not even the part after the stored prefix.
        expect(text.includes(secret.slice(12)), `${where} holds a secret's tail`).toBe(false);
      }
    }
  });
});
