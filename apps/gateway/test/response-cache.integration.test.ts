import { type FakeOllama, startFakeOllama } from '@intellicore/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../src/testing.js';
import { collect, createTestClient } from './helpers/trpc-client.js';

// The response cache as the gateway builds it from CACHE_TTL_SECONDS (memory LRU): what is
// cached, per-tenant keys, bypass, stream replay, counters. The fake's journal counts upstream
// calls, so "answered from the cache" means "the upstream saw no second request".
let fake: FakeOllama;
let gw: TestGateway;
const upstreamCalls = (path: string) =>
  fake.journal.entries().filter((e) => e.path === path).length;
const ask = (content: string) => [{ role: 'user' as const, content }];

beforeAll(async () => {
  fake = await startFakeOllama();
  gw = await startTestGateway({
    ollamaUrl: fake.url,
    env: { API_KEYS: 'ka,kb', CACHE_TTL_SECONDS: '60' },
  });
});

afterAll(async () => {
  await gw?.close();
  await fake?.close();
});

it('a deterministic chat (temperature 0) is answered from the cache the second time', async () => {
  const client = createTestClient(gw.url, 'ka');
  const input = { messages: ask('deterministic one'), options: { temperature: 0 } };
  const first = await client.chat.completion.mutate(input);
  const calls = upstreamCalls('/api/chat');
  const second = await client.chat.completion.mutate(input);
  expect(first.cached).toBe(false);
  expect(second.cached).toBe(true);
  expect(second.message.content).toBe(first.message.content);
  expect(upstreamCalls('/api/chat')).toBe(calls);
  // noCache bypasses it.
  const bypassed = await client.chat.completion.mutate({ ...input, noCache: true });
  expect(bypassed.cached).toBe(false);
  expect(upstreamCalls('/api/chat')).toBe(calls + 1);
});

it('a non-deterministic chat is not cached', async () => {
  const client = createTestClient(gw.url, 'ka');
  const input = { messages: ask('sampled'), options: { temperature: 0.8 } };
  await client.chat.completion.mutate(input);
  const again = await client.chat.completion.mutate(input);
  expect(again.cached).toBe(false);
  const calls = upstreamCalls('/api/chat');
  await client.chat.completion.mutate({ messages: ask('sampled') }); // no temperature at all
  expect((await client.chat.completion.mutate({ messages: ask('sampled') })).cached).toBe(false);
  expect(upstreamCalls('/api/chat')).toBe(calls + 2);
});

it('embeddings are cached; another API key does not share the answer', async () => {
  const a = createTestClient(gw.url, 'ka');
  const b = createTestClient(gw.url, 'kb');
  const first = await a.chat.embed.mutate({ input: 'embed me' });
  const calls = upstreamCalls('/api/embed');
  const hit = await a.chat.embed.mutate({ input: 'embed me' });
  expect(hit.cached).toBe(true);
  expect(hit.embedding).toEqual(first.embedding);
  expect(upstreamCalls('/api/embed')).toBe(calls);
  const otherTenant = await b.chat.embed.mutate({ input: 'embed me' });
  expect(otherTenant.cached).toBe(false);
  expect(upstreamCalls('/api/embed')).toBe(calls + 1);
});

it('a cached streamed answer replays as a stream', async () => {
  const client = createTestClient(gw.url, 'ka');
  const input = { messages: ask('stream me please, in several words'), options: { seed: 7 } };
  const stream = async () =>
    (await collect(client.chat.stream.subscribe(input))).map((e) => e.data);
  const first = await stream();
  const calls = upstreamCalls('/api/chat');
  const replay = await stream();
  expect(upstreamCalls('/api/chat')).toBe(calls);
  const deltas = (events: typeof first) =>
    events.flatMap((e) => (e.type === 'delta' ? [e.content] : []));
  expect(deltas(replay).length).toBeGreaterThan(1);
  expect(deltas(replay)).toEqual(deltas(first));
  const done = replay.at(-1);
  expect(done?.type === 'done' && done.result.cached).toBe(true);
});

it('/v1 and /api honour Cache-Control: no-cache; /metrics counts hits and misses', async () => {
  const body = JSON.stringify({ model: 'llama3.2', messages: ask('v1 cached'), temperature: 0 });
  const post = (headers: Record<string, string> = {}) =>
    fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer ka', 'content-type': 'application/json', ...headers },
      body,
    }).then((r) => r.json());
  await post();
  const calls = upstreamCalls('/api/chat');
  await post();
  expect(upstreamCalls('/api/chat')).toBe(calls);
  await post({ 'cache-control': 'no-cache' });
  expect(upstreamCalls('/api/chat')).toBe(calls + 1);

  // /api (Ollama shape) shares the cache and the header.
  const embed = (headers: Record<string, string> = {}) =>
    fetch(`${gw.url}/api/embed`, {
      method: 'POST',
      headers: { authorization: 'Bearer ka', 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ model: 'nomic-embed-text', input: 'api cached' }),
    }).then((r) => r.json());
  await embed();
  const embeds = upstreamCalls('/api/embed');
  await embed();
  expect(upstreamCalls('/api/embed')).toBe(embeds);
  await embed({ 'cache-control': 'no-cache' });
  expect(upstreamCalls('/api/embed')).toBe(embeds + 1);

  const metrics = await fetch(`${gw.url}/metrics`).then((r) => r.text());
  const count = (event: string) =>
    Number(
      new RegExp(`gateway_cache_events_total\\{event="${event}"\\} (\\d+)`).exec(metrics)?.[1],
    );
  expect(count('hit')).toBeGreaterThanOrEqual(4);
  expect(count('miss')).toBeGreaterThanOrEqual(4);
});
