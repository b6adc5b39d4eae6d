import { randomBytes } from 'node:crypto';
import { type FakeOllama, postgresForTests, startFakeOllama } from '@intellicore/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../src/testing.js';
import { rest } from './helpers/rest.js';
import { createTestClient } from './helpers/trpc-client.js';

// Usage records say which door a call came in by: the REST front calls the tRPC procedures,
// yet its calls are recorded as `rest`, tRPC's as `trpc`. Read straight from PostgreSQL (a
// schema of its own per run).
const pgUrl = postgresForTests().url;
const schema = `gw_rest_door_${randomBytes(4).toString('hex')}`;
let fake: FakeOllama;
let gw: TestGateway;
let db: pg.Client;

describe.skipIf(!pgUrl)('usage records by door', () => {
  beforeAll(async () => {
    fake = await startFakeOllama();
    gw = await startTestGateway({
      ollamaUrl: fake.url,
      env: { API_KEYS: 'sk-user', DATABASE_URL: pgUrl!, DATABASE_SCHEMA: schema },
    });
    db = new pg.Client({ connectionString: pgUrl });
    await db.connect();
  });

  afterAll(async () => {
    await gw?.close();
    await fake?.close();
    await db?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await db?.end();
  });

  const doorOf = async (requestId: string) => {
    const { rows } = await db.query(
      `SELECT door, operation FROM "${schema}".usage_records WHERE request_id = $1`,
      [requestId],
    );
    return rows[0];
  };

  it('records REST calls (plain and streamed) as rest and tRPC calls as trpc', async () => {
    const messages = [{ role: 'user' as const, content: 'which door?' }];
    for (const [id, stream] of [
      ['door-rest-plain', false],
      ['door-rest-stream', true],
    ] as const) {
      const answer = await rest(gw.url, 'POST', '/api/v1/chat/completions', {
        key: 'sk-user',
        body: { messages, stream },
        headers: { 'x-request-id': id },
      });
      expect(answer.status).toBe(200);
    }
    const client = createTestClient(gw.url, 'sk-user');
    await client.chat.completion.mutate({ messages });
    // Records are written in batches, each when it is due: poll every one.
    for (const id of ['door-rest-plain', 'door-rest-stream']) {
      await expect
        .poll(() => doorOf(id), { timeout: 5_000 })
        .toEqual({ door: 'rest', operation: 'chat' });
    }
    const others = async () =>
      (
        await db.query(
          `SELECT door FROM "${schema}".usage_records WHERE request_id NOT LIKE 'door-%'`,
        )
      ).rows;
    await expect.poll(others, { timeout: 5_000 }).toEqual([{ door: 'trpc' }]);
  });
});
