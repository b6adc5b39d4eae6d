import { Ollama } from 'ollama';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FakeOllama,
  fakeChatReply,
  fakeEmbedding,
  fakeReplyChunks,
  startFakeOllama,
} from '../src/fake-ollama/index.js';

let fake: FakeOllama;
let ollama: Ollama;

beforeAll(async () => {
  fake = await startFakeOllama({ version: '0.9.9' });
  ollama = new Ollama({ host: fake.url });
});
afterAll(() => fake.close());

async function post(path: string, body: unknown, method = 'POST') {
  const res = await fetch(`${fake.url}${path}`, {
    method,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}
const lines = (text: string) =>
  text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));

describe('fake Ollama: native API through the official ollama client', () => {
  const messages = [{ role: 'user', content: 'hello there wörld' }];

  it('streams chat word by word and ends with done and metrics', async () => {
    const parts: string[] = [];
    let last: Awaited<ReturnType<typeof ollama.chat>> | undefined;
    for await (const part of await ollama.chat({ model: 'llama3.2', messages, stream: true })) {
      parts.push(part.message.content);
      last = part;
    }
    const reply = fakeChatReply(messages, 'llama3.2');
    expect(parts.join('')).toBe(reply);
    expect(parts.slice(0, -1)).toEqual(fakeReplyChunks(reply));
    expect(last).toMatchObject({ done: true, done_reason: 'stop', model: 'llama3.2' });
    expect(last?.eval_count).toBe(fakeReplyChunks(reply).length);
    expect(last?.prompt_eval_count).toBe(Math.ceil('hello there wörld'.length / 4));
    for (const k of [
      'total_duration',
      'load_duration',
      'prompt_eval_duration',
      'eval_duration',
    ] as const) {
      expect(last?.[k]).toBeGreaterThan(0);
    }
    expect(last!.total_duration).toBeGreaterThanOrEqual(
      last!.load_duration + last!.prompt_eval_duration + last!.eval_duration,
    );
  });

  it('answers chat in one object with stream:false, and defaults to streaming NDJSON', async () => {
    const res = await ollama.chat({ model: 'llama3.2', messages });
    expect(res.message).toEqual({
      role: 'assistant',
      content: fakeChatReply(messages, 'llama3.2'),
    });
    const raw = await post('/api/chat', { model: 'llama3.2', messages });
    expect(raw.type).toBe('application/x-ndjson');
    const objs = lines(raw.text);
    expect(objs.at(-1)).toMatchObject({ done: true });
    expect(new Date(objs[0].created_at).toISOString()).toBe(objs[0].created_at);
  });

  it('emits a tool call for a weather question when tools are given', async () => {
    const tools = [
      {
        type: 'function',
        function: {
          name: 'get_weather',
          description: 'weather for a city',
          parameters: {
            type: 'object',
            properties: { city: { type: 'string' } },
            required: ['city'],
          },
        },
      },
    ];
    const ask = [{ role: 'user', content: 'What is the weather in Tokyo?' }];
    const res = await ollama.chat({ model: 'llama3.2', messages: ask, tools });
    expect(res.message.tool_calls).toEqual([
      { function: { index: 0, name: 'get_weather', arguments: { city: 'Tokyo' } } },
    ]);
    const objs = lines((await post('/api/chat', { model: 'llama3.2', messages: ask, tools })).text);
    expect(objs.find((o) => o.message.tool_calls)?.message.content).toBe('');
  });

  it('honours format json, think and num_predict', async () => {
    const json = await ollama.chat({ model: 'llama3.2', messages, format: 'json' });
    expect(JSON.parse(json.message.content)).toEqual({
      reply: fakeChatReply(messages, 'llama3.2'),
    });
    const think = await ollama.chat({ model: 'llama3.2', messages, think: true });
    expect(think.message.thinking).toContain('hello there wörld');
    const cut = await ollama.chat({ model: 'llama3.2', messages, options: { num_predict: 2 } });
    expect(cut.done_reason).toBe('length');
    expect(cut.message.content).toBe(
      fakeReplyChunks(fakeChatReply(messages, 'llama3.2')).slice(0, 2).join(''),
    );
  });

  it('loads with empty messages or prompt, unloads with keep_alive 0', async () => {
    const load = await ollama.chat({ model: 'mistral', messages: [] });
    expect(load).toMatchObject({ done: true, done_reason: 'load' });
    expect((await ollama.ps()).models.map((m) => m.name)).toContain('mistral:latest');
    const unload = await ollama.generate({ model: 'mistral', prompt: '', keep_alive: 0 });
    expect(unload).toMatchObject({ done: true, done_reason: 'unload', response: '' });
    expect((await ollama.ps()).models.map((m) => m.name)).not.toContain('mistral:latest');
  });

  it('generates, streamed and not', async () => {
    const res = await ollama.generate({ model: 'llama3.2:1b', prompt: 'why is the sky blue' });
    expect(res.response).toBe('echo(llama3.2:1b): why is the sky blue');
    expect(res.context?.length).toBeGreaterThan(0);
    let text = '';
    for await (const part of await ollama.generate({
      model: 'llama3.2:1b',
      prompt: 'a b c',
      stream: true,
    })) {
      text += part.response;
    }
    expect(text).toBe('echo(llama3.2:1b): a b c');
  });

  it('embeds one or many inputs, with dimensions and truncate', async () => {
    const one = await ollama.embed({ model: 'nomic-embed-text', input: 'hi' });
    expect(one.embeddings).toEqual([fakeEmbedding('hi', 16)]);
    const many = await ollama.embed({
      model: 'nomic-embed-text',
      input: ['a', 'b'],
      dimensions: 4,
    });
    expect(many.embeddings.map((v) => v.length)).toEqual([4, 4]);
    expect(Math.hypot(...many.embeddings[0]!)).toBeCloseTo(1, 10);
    expect(many.prompt_eval_count).toBe(2);
    const long = 'x'.repeat(4096 * 4 + 40);
    const refused = await post('/api/embed', {
      model: 'nomic-embed-text',
      input: long,
      truncate: false,
    });
    expect(refused).toMatchObject({
      status: 400,
      text: '{"error":"the input length exceeds the context length"}',
    });
    const legacy = await ollama.embeddings({ model: 'nomic-embed-text', prompt: 'hi' });
    expect(legacy.embedding).toEqual(fakeEmbedding('hi', 16));
  });

  it('lists, shows, reports version and liveness', async () => {
    const names = (await ollama.list()).models.map((m) => m.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'llama3.2:latest',
        'llama3.2:1b',
        'mistral:latest',
        'nomic-embed-text:latest',
      ]),
    );
    const show = await ollama.show({ model: 'llama3.2' });
    expect(show.details.family).toBe('llama');
    expect(show.capabilities).toContain('completion');
    expect((show.model_info as unknown as Record<string, unknown>)['llama.context_length']).toBe(
      4096,
    );
    expect((await post('/api/show', { name: 'nomic-embed-text' })).status).toBe(200);
    expect(await ollama.version()).toEqual({ version: '0.9.9' });
    const root = await fetch(`${fake.url}/`);
    expect(await root.text()).toBe('Ollama is running');
  });

  it('reports loaded models in ps with expiry, vram and context length', async () => {
    await ollama.generate({ model: 'llama3.2', prompt: 'warm', keep_alive: '10m' });
    const running = (await ollama.ps()).models.find((m) => m.name === 'llama3.2:latest');
    expect(running?.size_vram).toBeGreaterThan(0);
    expect(new Date(running!.expires_at).getTime()).toBeGreaterThan(Date.now() + 9 * 60_000);
    expect((running as unknown as { context_length: number }).context_length).toBe(4096);
  });

  it('pulls with progress ticks and adds the model; unknown models fail inside the stream', async () => {
    const progress = [];
    for await (const p of await ollama.pull({ model: 'qwen2.5:0.5b', stream: true }))
      progress.push(p);
    expect(progress[0]).toEqual({ status: 'pulling manifest' });
    const ticks = progress.filter((p) => p.digest);
    expect(ticks.at(-1)?.completed).toBe(ticks.at(-1)?.total);
    expect(progress.at(-1)).toEqual({ status: 'success' });
    expect((await ollama.list()).models.map((m) => m.name)).toContain('qwen2.5:0.5b');
    expect(await ollama.pull({ model: 'tinyllama' })).toEqual({ status: 'success' });
    const missing = await post('/api/pull', { model: 'missing-model' });
    expect(missing.status).toBe(200);
    expect(lines(missing.text)).toEqual([
      { status: 'pulling manifest' },
      { error: 'pull model manifest: file does not exist' },
    ]);
    await expect(ollama.pull({ model: 'missing-model' })).rejects.toMatchObject({
      status_code: 500,
    });
  });

  it('deletes and copies models', async () => {
    await ollama.copy({ source: 'llama3.2', destination: 'my-copy' });
    expect((await ollama.show({ model: 'my-copy' })).details.family).toBe('llama');
    const del = await post('/api/delete', { model: 'my-copy' }, 'DELETE');
    expect(del).toMatchObject({ status: 200, text: '' });
    await expect(ollama.delete({ model: 'my-copy' })).rejects.toMatchObject({
      name: 'ResponseError',
      status_code: 404,
      error: "model 'my-copy' not found",
    });
  });

  it('answers errors exactly as Ollama does', async () => {
    for (const path of ['/api/chat', '/api/generate', '/api/embed', '/api/show']) {
      expect(await post(path, { model: 'nope' })).toMatchObject({
        status: 404,
        type: 'application/json; charset=utf-8',
        text: `{"error":"model 'nope' not found"}`,
      });
      expect(await post(path, { messages: [] })).toMatchObject({
        status: 400,
        text: '{"error":"model is required"}',
      });
      expect(await post(path, '')).toMatchObject({
        status: 400,
        text: '{"error":"missing request body"}',
      });
      expect((await post(path, '{"model":')).status).toBe(400);
    }
    expect(await post('/api/delete', { model: 'nope' }, 'DELETE')).toMatchObject({ status: 404 });
    await expect(ollama.chat({ model: 'nope', messages })).rejects.toMatchObject({
      status_code: 404,
    });
    const badOption = await post('/api/chat', {
      model: 'llama3.2',
      messages,
      options: { temperature: 'hot' },
    });
    expect(JSON.parse(badOption.text).error).toMatch(/option "temperature" must be of type/);
  });
});
