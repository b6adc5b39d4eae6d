import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOllama, fakeEmbedding, startFakeOllama } from '../src/fake-ollama/index.js';

let fake: FakeOllama;
beforeAll(async () => {
  fake = await startFakeOllama();
});
afterAll(() => fake.close());

async function post(path: string, body: unknown) {
  const res = await fetch(`${fake.url}${path}`, { method: 'POST', body: JSON.stringify(body) });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}
/** The `data:` payloads of an SSE body, in order. */
const events = (text: string) =>
  text
    .split('\n\n')
    .filter((e) => e.startsWith('data: '))
    .map((e) => e.slice(6));

describe("fake Ollama: Ollama's own OpenAI-compatible routes", () => {
  const messages = [
    { role: 'system', content: 'be brief' },
    { role: 'user', content: 'hi you' },
  ];

  it('answers a chat completion with usage', async () => {
    const res = await post('/v1/chat/completions', { model: 'llama3.2', messages });
    expect(res.status).toBe(200);
    const body = JSON.parse(res.text);
    expect(body).toMatchObject({
      object: 'chat.completion',
      model: 'llama3.2',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'echo(llama3.2): hi you' },
          finish_reason: 'stop',
        },
      ],
    });
    expect(body.usage.total_tokens).toBe(body.usage.prompt_tokens + body.usage.completion_tokens);
  });

  it('streams SSE chunks ending in [DONE], with a usage chunk when asked', async () => {
    const res = await post('/v1/chat/completions', {
      model: 'llama3.2',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(res.type).toBe('text/event-stream');
    const data = events(res.text);
    expect(data.at(-1)).toBe('[DONE]');
    const chunks = data.slice(0, -1).map((d) => JSON.parse(d));
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe(
      'echo(llama3.2): hi you',
    );
    expect(chunks.at(-2).choices[0].finish_reason).toBe('stop');
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { completion_tokens: 3 } });
    const noUsage = events(
      (await post('/v1/chat/completions', { model: 'llama3.2', messages, stream: true })).text,
    );
    expect(noUsage.some((d) => d.includes('"usage"'))).toBe(false);
  });

  it('returns OpenAI tool calls for a weather question', async () => {
    const tools = [
      {
        type: 'function',
        function: { name: 'get_weather', parameters: { properties: { city: {} } } },
      },
    ];
    const ask = [{ role: 'user', content: [{ type: 'text', text: 'weather in Paris?' }] }];
    const body = JSON.parse(
      (await post('/v1/chat/completions', { model: 'llama3.2', messages: ask, tools })).text,
    );
    expect(body.choices[0].finish_reason).toBe('tool_calls');
    expect(body.choices[0].message.tool_calls[0]).toMatchObject({
      type: 'function',
      function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
    });
  });

  it('embeds and lists models', async () => {
    const emb = JSON.parse(
      (await post('/v1/embeddings', { model: 'nomic-embed-text', input: ['a', 'b'] })).text,
    );
    expect(emb.object).toBe('list');
    expect(emb.data.map((d: { embedding: number[] }) => d.embedding)).toEqual([
      fakeEmbedding('a', 16),
      fakeEmbedding('b', 16),
    ]);
    const b64 = JSON.parse(
      (
        await post('/v1/embeddings', {
          model: 'nomic-embed-text',
          input: 'a',
          encoding_format: 'base64',
        })
      ).text,
    );
    const decoded = new Float32Array(
      new Uint8Array(Buffer.from(b64.data[0].embedding, 'base64')).buffer,
    );
    expect(decoded[0]).toBeCloseTo(fakeEmbedding('a', 16)[0]!, 6);
    const models = await (await fetch(`${fake.url}/v1/models`)).json();
    expect(models.data.map((m: { id: string }) => m.id)).toContain('mistral:latest');
    expect((await fetch(`${fake.url}/v1/models/mistral`)).status).toBe(200);
  });

  it('uses the OpenAI error shape', async () => {
    expect(
      JSON.parse((await post('/v1/chat/completions', { model: 'nope', messages })).text),
    ).toEqual({
      error: {
        message: "model 'nope' not found",
        type: 'not_found_error',
        param: null,
        code: null,
      },
    });
    const missing = await post('/v1/chat/completions', { messages });
    expect(missing.status).toBe(400);
    expect(JSON.parse(missing.text).error).toMatchObject({
      message: 'model is required',
      type: 'invalid_request_error',
    });
    fake.faults.set({ path: '/v1/chat/completions', queueFull: true, times: 1 });
    const busy = await post('/v1/chat/completions', { model: 'llama3.2', messages });
    expect(busy.status).toBe(503);
    expect(JSON.parse(busy.text).error.type).toBe('api_error');
  });
});
