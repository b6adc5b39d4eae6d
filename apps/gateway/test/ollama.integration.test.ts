import {
  type FakeOllama,
  fakeChatReply,
  fakeEmbedding,
  fakeGenerateReply,
  fakeThinking,
  startFakeOllama,
} from '@intellicore/testkit';
import { Ollama } from 'ollama';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../src/testing.js';

// The official ollama npm client against /api, as a black box: the gateway must be usable as
// an Ollama (other gateways use it as their upstream).
let fake: FakeOllama;
let gw: TestGateway;
let ollama: Ollama;
let admin: Ollama;

beforeAll(async () => {
  fake = await startFakeOllama();
  gw = await startTestGateway({
    ollamaUrl: fake.url,
    env: { API_KEYS: 'user-key', ADMIN_API_KEYS: 'admin-key' },
  });
  ollama = new Ollama({ host: gw.url, headers: { Authorization: 'Bearer user-key' } });
  admin = new Ollama({ host: gw.url, headers: { Authorization: 'Bearer admin-key' } });
});

afterEach(() => fake.faults.clear());

afterAll(async () => {
  await gw?.close();
  await fake?.close();
});

const messages = [{ role: 'user', content: 'hello ollama' }];

describe('/api generation', () => {
  it('chat, non-stream and stream (done line with metrics)', async () => {
    const one = await ollama.chat({ model: 'llama3.2', messages });
    expect(one.message.content).toBe(fakeChatReply(messages, 'llama3.2'));
    expect(one.done).toBe(true);
    expect(one.eval_count).toBeGreaterThan(0);

    const parts: string[] = [];
    let last: Awaited<ReturnType<typeof ollama.chat>> | undefined;
    for await (const part of await ollama.chat({ model: 'llama3.2', messages, stream: true })) {
      parts.push(part.message.content);
      last = part;
    }
    expect(parts.join('')).toBe(one.message.content);
    expect(last).toMatchObject({ done: true, done_reason: 'stop' });
    expect(last?.prompt_eval_count).toBeGreaterThan(0);
    expect(last?.total_duration).toBeGreaterThan(0);
  });

  it('think reaches the upstream; the thinking comes back in message.thinking / thinking', async () => {
    const one = await ollama.chat({ model: 'llama3.2', messages, think: true });
    expect(one.message.thinking).toBe(fakeThinking('hello ollama'));
    expect(one.message.content).toBe(fakeChatReply(messages, 'llama3.2'));
    const streamed: string[] = [];
    for await (const part of await ollama.chat({
      model: 'llama3.2',
      messages,
      think: 'high',
      stream: true,
    })) {
      streamed.push(part.message.thinking ?? '');
    }
    expect(streamed.join('')).toBe(fakeThinking('hello ollama'));
    const chatBody = fake.journal.entries().findLast((e) => e.path === '/api/chat')?.body;
    expect(chatBody).toMatchObject({ think: 'high' });

    const gen = await ollama.generate({ model: 'llama3.2', prompt: 'why?', think: 'low' });
    expect(gen.thinking).toBe(fakeThinking('why?'));
    expect(gen.response).toBe(fakeGenerateReply('why?', 'llama3.2'));
    const genBody = fake.journal.entries().findLast((e) => e.path === '/api/generate')?.body;
    expect(genBody).toMatchObject({ think: 'low' });
  });

  it('the NDJSON lines are Ollama-shaped', async () => {
    const res = await fetch(`${gw.url}/api/chat`, {
      method: 'POST',
      headers: { authorization: 'Bearer user-key' },
      body: JSON.stringify({ model: 'llama3.2', messages }),
    });
    expect(res.headers.get('content-type')).toBe('application/x-ndjson');
    const lines = (await res.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(Object.keys(lines[0])).toEqual(['model', 'created_at', 'message', 'done']);
    const done = lines.at(-1);
    expect(Object.keys(done).slice(0, 5)).toEqual([
      'model',
      'created_at',
      'message',
      'done',
      'done_reason',
    ]);
    expect(done).toHaveProperty('eval_duration');
  });

  it('generate, both modes', async () => {
    const one = await ollama.generate({ model: 'llama3.2', prompt: 'why' });
    expect(one.response).toBe(fakeGenerateReply('why', 'llama3.2'));
    let text = '';
    for await (const part of await ollama.generate({
      model: 'llama3.2',
      prompt: 'why',
      stream: true,
    })) {
      text += part.response;
    }
    expect(text).toBe(one.response);
  });

  it('embed (string and array) and legacy embeddings', async () => {
    const one = await ollama.embed({ model: 'nomic-embed-text', input: 'hi' });
    expect(one.embeddings).toEqual([fakeEmbedding('hi', 16)]);
    const two = await ollama.embed({ model: 'nomic-embed-text', input: ['hi', 'yo'] });
    expect(two.embeddings).toHaveLength(2);
    const legacy = await ollama.embeddings({ model: 'nomic-embed-text', prompt: 'hi' });
    expect(legacy.embedding).toEqual(one.embeddings[0]);
  });

  it('abort() of a stream closes the upstream request', async () => {
    // Chunks 500 ms apart: the stream outlasts the abort even on a loaded 2-core CI.
    fake.faults.set({ path: '/api/chat', chunkDelayMs: 500 });
    const started = Date.now();
    const stream = await ollama.chat({ model: 'llama3.2', messages, stream: true });
    const consume = async () => {
      for await (const _ of stream) stream.abort();
    };
    await expect(consume()).rejects.toMatchObject({
      name: 'AbortError',
      message: 'This operation was aborted',
    });
    const entry = await fake.journal.waitFor(
      (e) => e.path === '/api/chat' && e.startedAt >= started && e.clientClosed,
      2000,
    );
    expect(entry.clientClosed).toBe(true);
  });

  it('a failure inside the stream arrives as an error line', async () => {
    fake.faults.set({ path: '/api/chat', errorAfterChunks: 1, errorMessage: 'boom' });
    const consume = async () => {
      for await (const _ of await ollama.chat({ model: 'llama3.2', messages, stream: true })) {
        // drain
      }
    };
    await expect(consume()).rejects.toMatchObject({ message: 'Upstream stream failed: boom' });
  });
});

describe('/api models', () => {
  it('tags, show, ps, version', async () => {
    const tags = await ollama.list();
    expect(tags.models.map((m) => m.name)).toContain('llama3.2:latest');
    expect(tags.models[0]?.details).toHaveProperty('parameter_size');
    const show = await ollama.show({ model: 'llama3.2' });
    expect(show.details.family).toBe('llama');
    await ollama.chat({ model: 'llama3.2:1b', messages });
    const ps = await ollama.ps();
    expect(ps.models.map((m) => m.name)).toContain('llama3.2:1b');
    const version = await ollama.version();
    expect(version.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('pull (progress) and delete need an admin key', async () => {
    await expect(ollama.pull({ model: 'mistral' })).rejects.toMatchObject({ status_code: 403 });
    const statuses: string[] = [];
    for await (const p of await admin.pull({ model: 'mistral', stream: true }))
      statuses.push(p.status);
    expect(statuses.at(-1)).toBe('success');
    expect((await admin.pull({ model: 'mistral' })).status).toBe('success');
    await admin.delete({ model: 'mistral' });
    expect(fake.journal.entries().some((e) => e.path === '/api/delete' && e.status === 200)).toBe(
      true,
    );
  });

  it('errors are {"error": …} with the right status', async () => {
    await expect(ollama.chat({ model: 'gpt-4o', messages })).rejects.toMatchObject({
      name: 'ResponseError',
      status_code: 403,
    });
    await expect(ollama.show({ model: 'codellama' })).rejects.toMatchObject({ status_code: 404 });
    const anon = new Ollama({ host: gw.url });
    await expect(anon.list()).rejects.toMatchObject({ status_code: 401 });
    const res = await fetch(`${gw.url}/api/chat`, {
      method: 'POST',
      headers: { authorization: 'Bearer user-key' },
      body: JSON.stringify({ messages }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'model: model is required' });
  });
});
