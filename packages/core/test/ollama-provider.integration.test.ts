// Starts a real fake-Ollama HTTP server on 127.0.0.1; the provider uses the official ollama client.
import {
  type FakeOllama,
  fakeChatReply,
  fakeEmbedding,
  fakeGenerateReply,
  fakeReplyChunks,
  fakeThinking,
  startFakeOllama,
} from '@intellicore/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOllamaProvider } from '../src/providers/ollama/ollama-provider.js';
import type { Provider } from '../src/providers/provider.js';
import type { ChatDelta } from '../src/types.js';
import { byteByByteFetch, drain } from './ollama-helpers.js';

let fake: FakeOllama;
let provider: Provider;

beforeAll(async () => {
  fake = await startFakeOllama();
  provider = createOllamaProvider({ url: fake.url, timeoutMs: 5_000 });
});
afterAll(async () => {
  await provider.close();
  await fake.close();
});
beforeEach(() => {
  fake.journal.clear();
  fake.faults.clear();
});

const user = (content: string) => [{ role: 'user' as const, content }];

describe('chat', () => {
  it('aggregates a streamed upstream answer into one camelCase result with metrics', async () => {
    const result = await provider.chat({ model: 'llama3.2', messages: user('hello there') });
    expect(result.done).toBe(true);
    expect(result.message).toEqual({
      role: 'assistant',
      content: fakeChatReply(user('hello there'), 'llama3.2'),
    });
    expect(result.doneReason).toBe('stop');
    expect(result.metrics.evalCount).toBeGreaterThan(0);
    expect(result.metrics.promptEvalCount).toBeGreaterThan(0);
    expect(result.metrics.totalDuration).toBeGreaterThan(0);
    const [entry] = fake.journal.entries();
    expect(entry?.path).toBe('/api/chat');
    expect((entry?.body as { stream: boolean } | undefined)?.stream).toBe(true); // always streamed upstream
  });

  it('streams deltas in order and ends with exactly one final result', async () => {
    const { items, error } = await drain(
      provider.chatStream({ model: 'llama3.2', messages: user('one two three') }),
    );
    expect(error).toBeUndefined();
    const deltas = items.filter((e): e is ChatDelta => !e.done);
    expect(deltas.map((d) => d.message.content)).toEqual(
      fakeReplyChunks(fakeChatReply(user('one two three'), 'llama3.2')),
    );
    expect(items.filter((e) => e.done)).toHaveLength(1);
    expect(items.at(-1)?.done).toBe(true);
  });

  it('passes images, tools, format, options, keep_alive and think through in Ollama spelling', async () => {
    const schema = { type: 'object', properties: { reply: { type: 'string' } } };
    await provider.chat({
      model: 'llama3.2',
      messages: [
        { role: 'user', content: 'look', images: ['aGVsbG8='] },
        {
          role: 'assistant',
          content: '',
          toolCalls: [{ function: { name: 'get_weather', arguments: { city: 'Oslo' } } }],
        },
        { role: 'tool', content: '12 degrees', toolName: 'get_weather' },
        { role: 'user', content: 'and now?' },
      ],
      tools: [
        { type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } },
      ],
      format: schema,
      options: {
        temperature: 0.2,
        top_p: 0.9,
        top_k: 40,
        seed: 7,
        num_ctx: 2048,
        stop: ['END'],
        custom_knob: 3,
      },
      keepAlive: '10m',
      think: 'low',
    });
    const body = fake.journal.entries()[0]?.body as Record<string, unknown>;
    expect(body.keep_alive).toBe('10m');
    expect(body.think).toBe('low');
    expect(body.format).toEqual(schema);
    expect(body.options).toEqual({
      temperature: 0.2,
      top_p: 0.9,
      top_k: 40,
      seed: 7,
      num_ctx: 2048,
      stop: ['END'],
      custom_knob: 3,
    });
    expect(body.tools).toEqual([
      { type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } },
    ]);
    const messages = body.messages as Record<string, unknown>[];
    expect(messages[0]?.images).toEqual(['aGVsbG8=']);
    expect(messages[1]?.tool_calls).toEqual([
      { function: { name: 'get_weather', arguments: { city: 'Oslo' } } },
    ]);
    expect(messages[2]?.tool_name).toBe('get_weather');
    expect(body).not.toHaveProperty('keepAlive');
  });

  it('delivers tool calls while streaming and in the aggregated result', async () => {
    const tools = [
      {
        type: 'function' as const,
        function: {
          name: 'get_weather',
          parameters: { type: 'object', properties: { city: { type: 'string' } } },
        },
      },
    ];
    const { items } = await drain(
      provider.chatStream({ model: 'llama3.2', messages: user('weather in Paris?'), tools }),
    );
    const withCalls = items.filter((e) => e.message.toolCalls);
    expect(withCalls[0]?.done).toBe(false);
    expect(withCalls[0]?.message.toolCalls?.[0]?.function).toMatchObject({
      name: 'get_weather',
      arguments: { city: 'Paris' },
    });
    const result = await provider.chat({
      model: 'llama3.2',
      messages: user('weather in Paris?'),
      tools,
    });
    expect(result.message.toolCalls?.[0]?.function.name).toBe('get_weather');
  });

  it('returns thinking text separately from content', async () => {
    const result = await provider.chat({ model: 'llama3.2', messages: user('why'), think: true });
    expect(result.message.thinking).toBe(fakeThinking('why'));
    expect(result.message.content).toBe(fakeChatReply(user('why'), 'llama3.2'));
  });

  it('keeps multi-byte characters intact when every byte arrives in its own chunk', async () => {
    const text = 'Grüße 日本語 emoji 🎉🚀 ñ — ok';
    const split = createOllamaProvider({ url: fake.url, timeoutMs: 5_000, fetch: byteByByteFetch });
    const { items } = await drain(split.chatStream({ model: 'llama3.2', messages: user(text) }));
    const content = items.map((e) => e.message.content).join('');
    expect(content).toBe(fakeChatReply(user(text), 'llama3.2'));
    const aggregated = await split.chat({ model: 'llama3.2', messages: user(text) });
    expect(aggregated.message.content).toBe(fakeChatReply(user(text), 'llama3.2'));
  });

  it('reports a load-only request (no messages) with doneReason load', async () => {
    const result = await provider.chat({ model: 'llama3.2', messages: [] });
    expect(result.doneReason).toBe('load');
  });
});

describe('generate', () => {
  it('aggregates and streams with suffix, system, raw, context passed through', async () => {
    const result = await provider.generate({
      model: 'mistral',
      prompt: 'tell me',
      system: 'be brief',
      suffix: '!',
      raw: false,
      context: [1, 2, 3],
      keepAlive: 30,
      options: { num_predict: 100 },
    });
    expect(result.response).toBe(fakeGenerateReply('tell me', 'mistral'));
    expect(result.metrics.evalCount).toBeGreaterThan(0);
    const body = fake.journal.entries()[0]?.body as Record<string, unknown>;
    expect(body).toMatchObject({
      system: 'be brief',
      suffix: '!',
      raw: false,
      context: [1, 2, 3],
      keep_alive: 30,
      stream: true,
    });
    const { items } = await drain(provider.generateStream({ model: 'mistral', prompt: 'tell me' }));
    expect(items.map((e) => e.response).join('')).toBe(fakeGenerateReply('tell me', 'mistral'));
  });

  it('stops at num_predict with doneReason length', async () => {
    const result = await provider.generate({
      model: 'mistral',
      prompt: 'a b c d e f g',
      options: { num_predict: 2 },
    });
    expect(result.doneReason).toBe('length');
  });
});

describe('embed and models', () => {
  it('embeds a string and a list, vectors as the upstream computed them', async () => {
    const one = await provider.embed({ model: 'nomic-embed-text', input: 'alpha' });
    expect(one.embeddings).toEqual([fakeEmbedding('alpha', 16)]);
    const many = await provider.embed({
      model: 'nomic-embed-text',
      input: ['alpha', 'beta'],
      truncate: true,
      dimensions: 16,
    });
    expect(many.embeddings).toEqual([fakeEmbedding('alpha', 16), fakeEmbedding('beta', 16)]);
    expect(many.metrics.promptEvalCount).toBeGreaterThan(0);
    const body = fake.journal.entries().at(-1)?.body as Record<string, unknown>;
    expect(body).toMatchObject({ truncate: true, dimensions: 16 });
  });

  it('lists, shows, reports running models and the version', async () => {
    const models = await provider.list();
    expect(models.map((m) => m.name)).toContain('llama3.2:latest');
    expect(models[0]?.details.family).toBeDefined();
    const show = await provider.show('llama3.2');
    expect(show.capabilities).toContain('completion');
    expect(show.details.parameterSize).toBe('3.2B');
    fake.setLoaded(['mistral']);
    const running = await provider.running();
    expect(running.map((m) => m.name)).toEqual(['mistral:latest']);
    expect(running[0]?.expiresAt).toBeDefined();
    expect(await provider.version()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('pulls with progress percent and deletes', async () => {
    const { items, error } = await drain(provider.pull('qwen2:0.5b'));
    expect(error).toBeUndefined();
    expect(items[0]?.status).toBe('pulling manifest');
    const percents = items.flatMap((p) => (p.percent === undefined ? [] : [p.percent]));
    expect(percents.at(-1)).toBe(100);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect(items.at(-1)?.status).toBe('success');
    expect((await provider.list()).map((m) => m.name)).toContain('qwen2:0.5b');
    await provider.delete('qwen2:0.5b');
    expect((await provider.list()).map((m) => m.name)).not.toContain('qwen2:0.5b');
  });
});
