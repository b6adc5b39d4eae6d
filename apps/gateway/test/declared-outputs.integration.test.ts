import { type FakeOllama, startFakeOllama } from '@intellicore/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  chatCompletionOutputSchema,
  embedBatchOutputSchema,
  embedOutputSchema,
  generateOutputSchema,
} from '../src/schemas/index.js';
import { startTestGateway, type TestGateway } from '../src/testing.js';
import { createTestClient, type TestClient } from './helpers/trpc-client.js';

// The inference procedures declare their answer's schema as meta (for the docs) and are not
// validated by tRPC at run time (see ProcedureMeta in src/trpc.ts). Their real answers, with
// every optional part present, must still be exactly what the schemas describe: valid, and with
// no key the schema does not name (zod's parse drops unknown keys, so equality catches them).
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

function expectExactly(schema: z.ZodType, answer: unknown): void {
  const parsed = schema.safeParse(answer);
  expect(parsed.error?.issues ?? []).toEqual([]);
  expect(parsed.data).toStrictEqual(answer);
}

const tools = [
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
      tools,
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
