import {
  type FakeOllama,
  fakeChatReply,
  fakeEmbedding,
  startFakeOllama,
} from '@intellicore/testkit';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../src/testing.js';

// The official openai SDK against /v1, as a black box.
let fake: FakeOllama;
let gw: TestGateway;
let openai: OpenAI;

beforeAll(async () => {
  fake = await startFakeOllama();
  gw = await startTestGateway({ ollamaUrl: fake.url, env: { API_KEYS: 'sk-test' } });
  openai = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'sk-test', maxRetries: 0 });
});

afterEach(() => fake.faults.clear());

afterAll(async () => {
  await gw?.close();
  await fake?.close();
});

const messages = [{ role: 'user' as const, content: 'hello openai' }];
const lastChat = () => fake.journal.entries().findLast((e) => e.path === '/api/chat');

describe('/v1/chat/completions', () => {
  it('non-stream, with options mapped to Ollama', async () => {
    const out = await openai.chat.completions.create({
      model: 'llama3.2',
      messages,
      max_tokens: 50,
      temperature: 0.2,
      seed: 7,
      stop: ['END'],
    });
    expect(out.object).toBe('chat.completion');
    expect(out.choices[0]?.message.content).toBe(fakeChatReply(messages, 'llama3.2'));
    expect(out.choices[0]?.finish_reason).toBe('stop');
    expect(out.usage?.total_tokens).toBeGreaterThan(0);
    expect(lastChat()?.body).toMatchObject({
      options: { num_predict: 50, temperature: 0.2, seed: 7, stop: ['END'] },
    });
  });

  it('stream with include_usage ends with a usage chunk and [DONE]', async () => {
    const stream = await openai.chat.completions.create({
      model: 'llama3.2',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let finish: string | null | undefined;
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe(fakeChatReply(messages, 'llama3.2'));
    expect(finish).toBe('stop');
    expect(usage?.completion_tokens).toBeGreaterThan(0);
  });

  it('tools: the model calls a tool (non-stream and stream)', async () => {
    const tools = [
      {
        type: 'function' as const,
        function: {
          name: 'get_weather',
          parameters: { type: 'object', properties: { city: { type: 'string' } } },
        },
      },
    ];
    const ask = [{ role: 'user' as const, content: 'what is the weather in Tokyo' }];
    const out = await openai.chat.completions.create({ model: 'llama3.2', messages: ask, tools });
    const call = out.choices[0]?.message.tool_calls?.[0];
    expect(out.choices[0]?.finish_reason).toBe('tool_calls');
    expect(call?.type === 'function' && call.function.name).toBe('get_weather');
    expect(call?.type === 'function' && JSON.parse(call.function.arguments)).toHaveProperty('city');

    const stream = await openai.chat.completions.create({
      model: 'llama3.2',
      messages: ask,
      tools,
      stream: true,
    });
    const names: string[] = [];
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      for (const c of chunk.choices[0]?.delta.tool_calls ?? []) names.push(c.function?.name ?? '');
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(names).toEqual(['get_weather']);
    expect(finish).toBe('tool_calls');

    // the tool result goes back with the tool name Ollama expects
    await openai.chat.completions.create({
      model: 'llama3.2',
      messages: [
        ...ask,
        out.choices[0]!.message,
        { role: 'tool', tool_call_id: call!.id, content: '21C' },
      ],
    });
    const sent = lastChat()?.body as { messages: Array<{ role: string; tool_name?: string }> };
    expect(sent.messages.at(-1)).toMatchObject({ role: 'tool', tool_name: 'get_weather' });
  });

  it('response_format json_object and json_schema become Ollama format', async () => {
    await openai.chat.completions.create({
      model: 'llama3.2',
      messages,
      response_format: { type: 'json_object' },
    });
    expect(lastChat()?.body).toMatchObject({ format: 'json' });
    const schema = { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] };
    const out = await openai.chat.completions.create({
      model: 'llama3.2',
      messages,
      response_format: { type: 'json_schema', json_schema: { name: 'x', schema } },
    });
    expect(lastChat()?.body).toMatchObject({ format: schema });
    expect(() => JSON.parse(out.choices[0]?.message.content ?? '')).not.toThrow();
  });

  it('errors have the OpenAI shape and status', async () => {
    const error = await openai.chat.completions
      .create({ model: 'gpt-4o', messages })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect((error as InstanceType<typeof OpenAI.APIError>).code).toBe('MODEL_NOT_ALLOWED');
    const bad = await openai.chat.completions
      .create({ model: 'llama3.2', messages: [] })
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(OpenAI.BadRequestError);
    expect((bad as InstanceType<typeof OpenAI.APIError>).param).toBe('messages');
    const anon = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'wrong', maxRetries: 0 });
    await expect(anon.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it('aborting a stream closes the upstream request', async () => {
    // Chunks 500 ms apart: the stream outlasts the abort even on a loaded 2-core CI.
    fake.faults.set({ path: '/api/chat', chunkDelayMs: 500 });
    const started = Date.now();
    const controller = new AbortController();
    const stream = await openai.chat.completions.create(
      { model: 'llama3.2', messages, stream: true },
      { signal: controller.signal },
    );
    const consume = async () => {
      for await (const _ of stream) controller.abort();
    };
    await consume().catch(() => undefined); // the SDK may end quietly or throw on abort
    const entry = await fake.journal.waitFor(
      (e) => e.path === '/api/chat' && e.startedAt >= started && e.clientClosed,
      2000,
    );
    expect(entry.clientClosed).toBe(true);
  });

  it('an upstream failure mid-stream reaches the SDK as an error', async () => {
    fake.faults.set({ path: '/api/chat', errorAfterChunks: 1, errorMessage: 'gpu fell off' });
    const stream = await openai.chat.completions.create({
      model: 'llama3.2',
      messages,
      stream: true,
    });
    const consume = async () => {
      for await (const _ of stream) {
        // drain
      }
    };
    await expect(consume()).rejects.toMatchObject({
      code: 'STREAM_INTERRUPTED',
      message: 'Upstream stream failed: gpu fell off',
    });
  });
});

describe('/v1/embeddings and /v1/models', () => {
  it('embeddings: string and array, float and base64 (the SDK default)', async () => {
    const one = await openai.embeddings.create({ model: 'nomic-embed-text', input: 'hi' });
    const expected = fakeEmbedding('hi', 16);
    for (const [i, v] of one.data[0]!.embedding.entries()) expect(v).toBeCloseTo(expected[i]!, 5);
    const many = await openai.embeddings.create({
      model: 'nomic-embed-text',
      input: ['hi', 'there'],
      encoding_format: 'float',
    });
    expect(many.data.map((d) => d.index)).toEqual([0, 1]);
    expect(many.data[0]!.embedding).toEqual(expected);
    expect(many.usage.prompt_tokens).toBeGreaterThan(0);
  });

  it('dimensions are passed on', async () => {
    await openai.embeddings.create({ model: 'nomic-embed-text', input: 'hi', dimensions: 8 });
    const sent = fake.journal.entries().findLast((e) => e.path === '/api/embed');
    expect(sent?.body).toMatchObject({ dimensions: 8 });
  });

  it('models list and retrieve', async () => {
    const ids: string[] = [];
    for await (const m of openai.models.list()) ids.push(m.id);
    expect(ids).toContain('llama3.2:latest');
    expect((await openai.models.retrieve('llama3.2')).id).toBe('llama3.2:latest');
    await expect(openai.models.retrieve('nope')).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });
});
