import { type FakeOllama, startFakeOllama } from '@intellicore/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { keyIdOf } from '../src/auth.js';
import { startTestGateway, type TestGateway } from '../src/testing.js';
import { createTestClient, failureOf } from './helpers/trpc-client.js';

// Usage records as the gateway writes them (batched, SQLite here) and usage.summary through the
// real tRPC client. Records are written asynchronously, so the summary is polled until it
// shows them (bounded by expect.poll's timeout).
let fake: FakeOllama;
let gw: TestGateway;
const hello = [{ role: 'user' as const, content: 'hello' }];

beforeAll(async () => {
  fake = await startFakeOllama();
  gw = await startTestGateway({
    ollamaUrl: fake.url,
    env: { API_KEYS: 'u1,u2', ADMIN_API_KEYS: 'adm' },
  });
  const u1 = createTestClient(gw.url, 'u1');
  const u2 = createTestClient(gw.url, 'u2');
  await u1.chat.completion.mutate({ messages: hello });
  await u1.chat.embed.mutate({ input: 'text' });
  await u2.chat.completion.mutate({ messages: hello });
  const v1 = await fetch(`${gw.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: 'Bearer u1', 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'llama3.2', messages: hello }),
  });
  expect(v1.status).toBe(200);
  await v1.text();
});

afterAll(async () => {
  await gw?.close();
  await fake?.close();
});

const admin = () => createTestClient(gw.url, 'adm');
const byGroup = (rows: { group: string | null; requests: number }[]) =>
  Object.fromEntries(rows.map((r) => [r.group ?? 'null', r.requests]));

it('groups by model, key and day once the batch is written', async () => {
  await expect
    .poll(async () => byGroup((await admin().usage.summary.query({ groupBy: 'model' })).rows), {
      timeout: 5000,
    })
    .toEqual({ 'llama3.2': 3, 'nomic-embed-text': 1 });

  const keys = await admin().usage.summary.query({ groupBy: 'key' });
  expect(keys.groupBy).toBe('key');
  expect(byGroup(keys.rows)).toEqual({ [keyIdOf('u1')]: 3, [keyIdOf('u2')]: 1 });
  const u1 = keys.rows.find((r) => r.group === keyIdOf('u1'))!;
  expect(u1.promptTokens).toBeGreaterThan(0);
  expect(u1.totalTokens).toBe(u1.promptTokens + u1.completionTokens);
  expect(u1.errorRequests).toBe(0);

  const days = await admin().usage.summary.query({ groupBy: 'day' });
  expect(byGroup(days.rows)).toEqual({ [new Date().toISOString().slice(0, 10)]: 4 });
});

it('from/to bound the records', async () => {
  const future = new Date(Date.now() + 3_600_000);
  const none = await admin().usage.summary.query({ groupBy: 'model', from: future });
  expect(none.rows).toEqual([]);
  const all = await admin().usage.summary.query({ groupBy: 'model', to: future });
  expect(all.rows.reduce((n, r) => n + r.requests, 0)).toBe(4);
  const reversed = await failureOf(
    admin().usage.summary.query({ groupBy: 'model', from: future, to: new Date(0) }),
  );
  expect(reversed.gatewayCode).toBe('BAD_REQUEST');
  expect(reversed.fieldErrors?.[0]?.path).toBe('from');
});

it('is admin-only', async () => {
  const error = await failureOf(
    createTestClient(gw.url, 'u1').usage.summary.query({ groupBy: 'key' }),
  );
  expect(error.gatewayCode).toBe('FORBIDDEN');
});
