import { randomBytes } from 'node:crypto';
import Anthropic from '@anthropic-ai/sdk';
import { type FakeOllama, postgresForTests, startFakeOllama } from '@intellicore/testkit';
import OpenAI from 'openai';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyIdOf } from '../src/auth.js';
import { startTestGateway, type TestGateway } from '../src/testing.js';
import { metricSum, scrape } from './real-inference/metrics.js';

// The new fronts go through the same core as the others: every request is one usage record
// naming its door (anthropic for /v1/messages, openai for /v1/responses and /v1/completions)
// and the caller's key, in a real PostgreSQL (a schema of its own per run, dropped after), and
// is counted in /metrics under its route.
const pgUrl = postgresForTests().url;
const run = randomBytes(4).toString('hex');
const schema = `gw_fronts_usage_${run}`;

let fake: FakeOllama;
let gw: TestGateway;

describe.skipIf(!pgUrl)('usage and metrics of the Anthropic and OpenAI fronts', () => {
  beforeAll(async () => {
    fake = await startFakeOllama();
    gw = await startTestGateway({
      ollamaUrl: fake.url,
      env: { API_KEYS: 'k-fronts', DATABASE_URL: pgUrl!, DATABASE_SCHEMA: schema },
    });
  });

  afterAll(async () => {
    await gw?.close();
    await fake?.close();
    const client = new pg.Client({ connectionString: pgUrl });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  });

  it('records door, operation, key and tokens per request', async () => {
    const headers = (id: string) => ({ headers: { 'x-request-id': `${run}-${id}` } });
    const anthropic = new Anthropic({ baseURL: gw.url, apiKey: 'k-fronts', maxRetries: 0 });
    const openai = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'k-fronts', maxRetries: 0 });
    const hello = [{ role: 'user' as const, content: 'hello usage' }];
    await anthropic.messages.create(
      { model: 'llama3.2', max_tokens: 32, messages: hello },
      headers('msg'),
    );
    await anthropic.messages
      .stream({ model: 'llama3.2', max_tokens: 32, messages: hello }, headers('msg-stream'))
      .finalMessage();
    await openai.responses.create({ model: 'llama3.2', input: 'hello usage' }, headers('resp'));
    await openai.completions.create({ model: 'llama3.2', prompt: 'hello usage' }, headers('cmpl'));

    const client = new pg.Client({ connectionString: pgUrl });
    await client.connect();
    try {
      const rows = async () =>
        (
          await client.query(
            `SELECT request_id, door, operation, key_id, status, prompt_tokens, completion_tokens
               FROM "${schema}".usage_records WHERE request_id LIKE $1 ORDER BY request_id`,
            [`${run}-%`],
          )
        ).rows as Array<Record<string, unknown>>;
      await expect.poll(async () => (await rows()).length, { timeout: 5000 }).toBe(4);
      const got = await rows();
      expect(got.map((r) => [r.request_id, r.door, r.operation, r.status])).toEqual([
        [`${run}-cmpl`, 'openai', 'generate', 'ok'],
        [`${run}-msg`, 'anthropic', 'chat', 'ok'],
        [`${run}-msg-stream`, 'anthropic', 'chat', 'ok'],
        [`${run}-resp`, 'openai', 'chat', 'ok'],
      ]);
      for (const r of got) {
        expect(r.key_id).toBe(keyIdOf('k-fronts'));
        expect(Number(r.prompt_tokens)).toBeGreaterThan(0);
        expect(Number(r.completion_tokens)).toBeGreaterThan(0);
      }
    } finally {
      await client.end();
    }

    const metrics = await scrape(gw.url);
    for (const route of ['/v1/messages', '/v1/responses', '/v1/completions']) {
      expect(
        metricSum(metrics, 'gateway_requests_total', { route, status: '200' }),
      ).toBeGreaterThan(0);
    }
  });
});
