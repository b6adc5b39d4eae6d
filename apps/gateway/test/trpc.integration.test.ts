import {
  type FakeOllama,
  fakeChatReply,
  fakeGenerateReply,
  fakeThinking,
  startFakeOllama,
} from '@intellicore/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  chatCompletionOutputSchema,
  embedBatchOutputSchema,
  embedOutputSchema,
  generateOutputSchema,
} from '../src/schemas/index.js';
import { startTestGateway, type TestGateway } from '../src/testing.js';
import { collect, createTestClient, type TestClient } from './helpers/trpc-client.js';

// A real gateway on loopback backed by the test kit's fake Ollama, driven by the real tRPC client.
let fake: FakeOllama;
let gw: TestGateway;
let client: TestClient;

beforeAll(async () => {
  fake = await startFakeOllama();
  gw = await startTestGateway({ ollamaUrl: fake.url });
  client = createTestClient(gw.url);
});

afterAll(async () => {
  await gw?.close();
  await fake?.close();
});

const hello = [{ role: 'user' as const, content: 'hello there' }];

describe('health', () => {
  it('live and ready', async () => {
    const live = await client.health.live.query();
    expect(live.status).toBe('ok');
    const ready = await client.health.ready.query();
    expect(ready.ready).toBe(true);
    // Open mode (no keys): every caller is admin and sees where upstreams run.
    expect(ready.upstreams?.[0]).toMatchObject({ id: 'ollama-1', url: fake.url, healthy: true });
  });
});

describe('models', () => {
  it('list, get, running, allowed', async () => {
    const list = await client.models.list.query();
    expect(list.map((m) => m.name)).toContain('llama3.2:latest');
    expect(list[0]?.upstreams).toEqual(['ollama-1']);
    const show = await client.models.get.query({ name: 'llama3.2' });
    expect(show.name).toBe('llama3.2');
    expect(show.details.family).toBe('llama');
    const allowed = await client.models.allowed.query();
    expect(allowed.defaultChatModel).toBe('llama3.2');
    expect(allowed.models).toContain('random-weights-demo');
    await client.chat.completion.mutate({ model: 'llama3.2:1b', messages: hello });
    const running = await client.models.running.query();
    expect(running.map((m) => m.name)).toContain('llama3.2:1b');
  });

  it('pull streams progress and delete removes the model', async () => {
    const events = await collect(client.models.pull.subscribe({ name: 'mistral' }));
    expect(events.at(-1)?.status).toBe('success');
    expect(events.some((e) => e.total !== undefined)).toBe(true);
    const deleted = await client.models.delete.mutate({ name: 'mistral' });
    expect(deleted).toEqual({ name: 'mistral', deleted: true });
    const del = fake.journal.entries().find((e) => e.path === '/api/delete');
    expect(del?.status).toBe(200);
  });
});

describe('chat', () => {
  it('completion answers with usage and timings', async () => {
    const out = await client.chat.completion.mutate({ messages: hello });
    expect(out.message.content).toBe(fakeChatReply(hello, 'llama3.2'));
    expect(out.model).toBe('llama3.2');
    expect(out.usage.completionTokens).toBeGreaterThan(0);
    expect(out.usage.totalTokens).toBe(out.usage.promptTokens + out.usage.completionTokens);
    expect(out.timings.durationMs).toBeGreaterThan(0);
    expect(out.upstream).toBe('ollama-1');
  });

  it('stream yields tracked deltas and a final event with the whole answer', async () => {
    const events = await collect(client.chat.stream.subscribe({ messages: hello }));
    const last = events.at(-1)!;
    expect(last.data.type).toBe('done');
    const deltas = events.slice(0, -1).map((e) => (e.data.type === 'delta' ? e.data.content : ''));
    const expected = fakeChatReply(hello, 'llama3.2');
    expect(deltas.join('')).toBe(expected);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    if (last.data.type !== 'done') throw new Error('no done');
    expect(last.data.result.message.content).toBe(expected);
    expect(last.data.result.usage.completionTokens).toBeGreaterThan(0);
    expect(last.data.result.timings.ttftMs).toBeGreaterThanOrEqual(0);
  });

  it('thinking and tool calls pass through, and the done event aggregates them', async () => {
    const ask = [{ role: 'user' as const, content: 'what is the weather in Oslo' }];
    const tools = [
      {
        type: 'function' as const,
        function: {
          name: 'get_weather',
          parameters: { type: 'object', properties: { city: { type: 'string' } } },
        },
      },
    ];
    const events = await collect(
      client.chat.stream.subscribe({ messages: ask, think: true, tools }),
    );
    const deltas = events.flatMap((e) => (e.data.type === 'delta' ? [e.data] : []));
    const last = events.at(-1)!.data;
    if (last.type !== 'done') throw new Error('no done');
    const thinking = deltas.map((d) => d.thinking ?? '').join('');
    expect(thinking).toBe(fakeThinking(ask[0]!.content));
    expect(last.result.message.thinking).toBe(thinking);
    expect(last.result.message.toolCalls?.[0]?.function.name).toBe('get_weather');
    expect(deltas.some((d) => d.toolCalls?.length)).toBe(true);
  });

  it('generate and generateStream', async () => {
    const out = await client.chat.generate.mutate({ prompt: 'why?' });
    expect(out.response).toBe(fakeGenerateReply('why?', 'llama3.2'));
    const events = await collect(client.chat.generateStream.subscribe({ prompt: 'why?' }));
    const last = events.at(-1)!;
    if (last.data.type !== 'done') throw new Error('no done');
    expect(last.data.result.response).toBe(out.response);
  });

  it('embed and embedBatch', async () => {
    const one = await client.chat.embed.mutate({ input: 'a text' });
    expect(one.model).toBe('nomic-embed-text');
    expect(one.embedding).toHaveLength(16);
    const batch = await client.chat.embedBatch.mutate({ inputs: ['a text', 'another'] });
    expect(batch.embeddings).toHaveLength(2);
    expect(batch.embeddings[0]).toEqual(one.embedding);
  });
});

// The inference procedures declare their answer's schema as meta (for the docs) and are not
// validated by tRPC at run time (see ProcedureMeta in src/trpc.ts). Their real answers, with
// every optional part present, must still be exactly what the schemas describe: valid, and with
// no key the schema does not name (zod's parse drops unknown keys, so equality catches them).
function expectExactly(schema: z.ZodType, answer: unknown): void {
  const parsed = schema.safeParse(answer);
  expect(parsed.error?.issues ?? []).toEqual([]);
  expect(parsed.data).toStrictEqual(answer);
}

const weatherTools = [
  {
    type: 'function' as const,
    function: {
      name: 'get_weather',
      parameters: { type: 'object', properties: { city: { type: 'string' } } },
    },
  },
];

describe('declared outputs match the answers', () => {
  it('chat.completion, with thinking and tool calls', async () => {
    const answer = await client.chat.completion.mutate({
      model: 'llama3.2',
      messages: [{ role: 'user', content: 'weather in Paris?' }],
      think: true,
      tools: weatherTools,
    });
    expect(answer.message.thinking).toBeTruthy();
    expect(answer.message.toolCalls?.[0]?.function.name).toBe('get_weather');
    expect(answer.upstream).toBe('ollama-1');
    expectExactly(chatCompletionOutputSchema, answer);
  });

  it('chat.generate, with thinking', async () => {
    const answer = await client.chat.generate.mutate({
      model: 'llama3.2',
      prompt: 'say hi',
      think: true,
    });
    expect(answer.thinking).toBeTruthy();
    expectExactly(generateOutputSchema, answer);
  });

  it('chat.embed and chat.embedBatch (vectors spliced in as the upstream sent them)', async () => {
    const one = await client.chat.embed.mutate({ model: 'nomic-embed-text', input: 'a' });
    expect(one.embedding.length).toBeGreaterThan(0);
    expectExactly(embedOutputSchema, one);
    const batch = await client.chat.embedBatch.mutate({
      model: 'nomic-embed-text',
      inputs: ['a', 'b', 'c'],
    });
    expect(batch.embeddings).toHaveLength(3);
    expectExactly(embedBatchOutputSchema, batch);
  });
});
