import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { fakeChatReply, fakeEmbedding, fakeGenerateReply } from '@intellicore/testkit';
import { ChatAnthropic } from '@langchain/anthropic';
import { ChatOllama } from '@langchain/ollama';
import { ChatOpenAI, OpenAI as LangChainOpenAI, OpenAIEmbeddings } from '@langchain/openai';
import { APICallError, embed, generateText, jsonSchema, streamText, tool } from 'ai';
import { beforeAll, describe, expect, it } from 'vitest';
import { fakeAndGateway } from './helpers/fake-and-gateway.js';

// The clients people already use, unchanged, as black boxes against the gateway's fronts
// (over the fake Ollama): the Vercel AI SDK (OpenAI chat, completions, responses, embeddings;
// Anthropic messages) and LangChain (ChatOpenAI, OpenAI, OpenAIEmbeddings, ChatAnthropic,
// ChatOllama). Each test checks what reached Ollama or the exact answer, not just "no throw".
const KEY = 'sk-eco-test';
const h = fakeAndGateway({ API_KEYS: KEY });
const MODEL = 'llama3.2';
const reply = (text: string) => fakeChatReply([{ role: 'user', content: text }], MODEL);
const weatherParameters = {
  type: 'object' as const,
  properties: { city: { type: 'string' as const } },
  required: ['city'],
};

/** The fake's vector for `text` (float32 on the wire: equal to 5 decimals). */
function expectFakeVector(actual: number[], text: string) {
  const expected = fakeEmbedding(text, actual.length);
  const worst = Math.max(...actual.map((x, i) => Math.abs(x - (expected[i] ?? Number.NaN))));
  expect(actual.length).toBeGreaterThan(0);
  expect(worst).toBeLessThan(1e-5);
}

let v1: string;
beforeAll(() => {
  v1 = `${h.gw.url}/v1`;
});

describe('Vercel AI SDK (ai 6, @ai-sdk/openai, @ai-sdk/anthropic)', () => {
  const openai = () => createOpenAI({ baseURL: v1, apiKey: KEY });

  it('generateText on openai.chat: the echo, its usage and finish reason', async () => {
    const out = await generateText({ model: openai().chat(MODEL), prompt: 'ai sdk chat' });
    expect(out.text).toBe(reply('ai sdk chat'));
    expect(out.finishReason).toBe('stop');
    expect(out.usage.inputTokens).toBeGreaterThan(0);
    expect(out.usage.outputTokens).toBeGreaterThan(0);
  });

  it('streamText on openai.chat: the deltas join to the echo', async () => {
    const result = streamText({ model: openai().chat(MODEL), prompt: 'ai sdk stream' });
    const parts: string[] = [];
    for await (const delta of result.textStream) parts.push(delta);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.join('')).toBe(reply('ai sdk stream'));
    expect((await result.usage).outputTokens).toBeGreaterThan(0);
  });

  it('a tool call comes back as the SDK’s toolCalls with parsed input', async () => {
    const out = await generateText({
      model: openai().chat(MODEL),
      prompt: 'what is the weather in Lisbon?',
      tools: {
        get_weather: tool({
          description: 'Weather in a city',
          inputSchema: jsonSchema<{ city: string }>(weatherParameters),
        }),
      },
    });
    expect(out.toolCalls.map((c) => [c.toolName, c.input])).toEqual([
      ['get_weather', { city: 'Lisbon' }],
    ]);
    const sent = h.lastChat();
    expect((sent.tools as unknown[]).length).toBe(1);
  });

  it('openai.completion calls /v1/completions (the model AI SDK users get a 404 for elsewhere)', async () => {
    const out = await generateText({ model: openai().completion(MODEL), prompt: 'complete me' });
    // The SDK turns the prompt into its own "user:/assistant:" text; Ollama gets that text.
    const sent = h.calls('/api/generate').at(-1)?.body as { prompt: string };
    expect(sent.prompt).toContain('complete me');
    expect(out.text).toBe(fakeGenerateReply(sent.prompt, MODEL));
  });

  it('openai.responses calls /v1/responses, stream and not', async () => {
    const out = await generateText({ model: openai().responses(MODEL), prompt: 'responses api' });
    expect(out.text).toBe(reply('responses api'));
    const result = streamText({ model: openai().responses(MODEL), prompt: 'responses stream' });
    let text = '';
    for await (const delta of result.textStream) text += delta;
    expect(text).toBe(reply('responses stream'));
  });

  it('embed on openai.embedding: the upstream’s vector', async () => {
    const { embedding } = await embed({
      model: openai().embedding('nomic-embed-text'),
      value: 'embed me',
    });
    expectFakeVector(embedding, 'embed me');
  });

  it('failures keep their meaning: a model outside the allow-list is final, a full queue is retryable', async () => {
    const fail = (model: string) =>
      generateText({ model: openai().chat(model), prompt: 'x', maxRetries: 0 }).then(
        () => undefined,
        (e: unknown) => e as APICallError,
      );
    const refused = await fail('no-such-model');
    expect(APICallError.isInstance(refused)).toBe(true);
    expect(refused?.statusCode).toBe(403);
    expect(refused?.isRetryable).toBe(false);
    expect(refused?.message).toContain('no-such-model');
    h.fake.faults.set({ path: '/api/chat', queueFull: true });
    const busy = await fail(MODEL);
    expect(busy?.statusCode).toBe(503);
    expect(busy?.isRetryable).toBe(true);
    expect(busy?.responseHeaders?.['retry-after']).toMatch(/^\d+$/);
  });

  it('@ai-sdk/anthropic: generateText and streamText through /v1/messages', async () => {
    const anthropic = createAnthropic({ baseURL: v1, apiKey: KEY });
    const out = await generateText({
      model: anthropic(MODEL),
      prompt: 'claude door',
      maxOutputTokens: 64,
    });
    expect(out.text).toBe(reply('claude door'));
    expect(out.usage.outputTokens).toBeGreaterThan(0);
    const result = streamText({
      model: anthropic(MODEL),
      prompt: 'claude stream',
      maxOutputTokens: 64,
    });
    let text = '';
    for await (const delta of result.textStream) text += delta;
    expect(text).toBe(reply('claude stream'));
  });
});

describe('LangChain (@langchain/openai, @langchain/anthropic, @langchain/ollama)', () => {
  const configuration = () => ({ baseURL: v1 });

  it('ChatOpenAI: invoke, stream and bound tools', async () => {
    const chat = new ChatOpenAI({ model: MODEL, apiKey: KEY, configuration: configuration() });
    const answer = await chat.invoke('langchain chat');
    expect(answer.content).toBe(reply('langchain chat'));
    expect(answer.usage_metadata?.output_tokens).toBeGreaterThan(0);
    let streamed = '';
    for await (const chunk of await chat.stream('langchain stream')) streamed += chunk.content;
    expect(streamed).toBe(reply('langchain stream'));
    const withTools = chat.bindTools([
      {
        type: 'function',
        function: { name: 'get_weather', description: 'Weather', parameters: weatherParameters },
      },
    ]);
    const call = await withTools.invoke('weather in Oslo?');
    expect(call.tool_calls?.map((c) => [c.name, c.args])).toEqual([
      ['get_weather', { city: 'Oslo' }],
    ]);
  });

  it('OpenAI (the completions LLM class) calls /v1/completions', async () => {
    const llm = new LangChainOpenAI({ model: MODEL, apiKey: KEY, configuration: configuration() });
    expect(await llm.invoke('legacy prompt')).toBe(fakeGenerateReply('legacy prompt', MODEL));
  });

  it('OpenAIEmbeddings: embedQuery and embedDocuments', async () => {
    const embeddings = new OpenAIEmbeddings({
      model: 'nomic-embed-text',
      apiKey: KEY,
      configuration: configuration(),
    });
    const one = await embeddings.embedQuery('query text');
    expectFakeVector(one, 'query text');
    const many = await embeddings.embedDocuments(['doc a', 'doc b', 'doc c']);
    expect(many.map((v) => v.length)).toEqual([one.length, one.length, one.length]);
  });

  it('ChatAnthropic through /v1/messages', async () => {
    const chat = new ChatAnthropic({ model: MODEL, apiKey: KEY, anthropicApiUrl: h.gw.url });
    const answer = await chat.invoke('langchain anthropic');
    expect(answer.content).toBe(reply('langchain anthropic'));
  });

  it('ChatOllama through /api with the key in a header', async () => {
    const chat = new ChatOllama({
      model: MODEL,
      baseUrl: h.gw.url,
      headers: { Authorization: `Bearer ${KEY}` },
    });
    const answer = await chat.invoke('langchain ollama');
    expect(answer.content).toBe(reply('langchain ollama'));
    let streamed = '';
    for await (const chunk of await chat.stream('ollama stream')) streamed += chunk.content;
    expect(streamed).toBe(reply('ollama stream'));
  });

  it('a wrong key is refused with 401 on every client (no retries hide it)', async () => {
    const chat = new ChatOpenAI({
      model: MODEL,
      apiKey: 'sk-wrong',
      maxRetries: 0,
      configuration: configuration(),
    });
    await expect(chat.invoke('x')).rejects.toMatchObject({ status: 401 });
    const ai = createOpenAI({ baseURL: v1, apiKey: 'sk-wrong' });
    const failure = await generateText({ model: ai.chat(MODEL), prompt: 'x', maxRetries: 0 }).catch(
      (e: unknown) => e as APICallError,
    );
    expect((failure as APICallError).statusCode).toBe(401);
  });
});
