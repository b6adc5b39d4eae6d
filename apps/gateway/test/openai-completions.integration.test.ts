import {
  type FakeOllama,
  fakeChatReply,
  fakeGenerateReply,
  fakeThinking,
  startFakeOllama,
} from '@intellicore/testkit';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../src/testing.js';

/** 20 words: with chunkDelayMs 100 the fake streams for ~2 s, time for an abort to reach it. */
const SLOW_PROMPT =
  'a slow answer that the fake sends word by word, one every 100 ms, for about two seconds in all';

// The official openai SDK against /v1/completions (legacy text completions on core's generate)
// and thinking on /v1/chat/completions, as a black box.
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

const generates = () => fake.journal.entries().filter((e) => e.path === '/api/generate');
const lastGenerate = () => generates().at(-1)?.body as Record<string, unknown>;
type ApiError = InstanceType<typeof OpenAI.APIError>;
const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e as ApiError,
  );

describe('/v1/completions', () => {
  it('non-stream: the generated text, options and suffix mapped to Ollama', async () => {
    const out = await openai.completions.create({
      model: 'llama3.2',
      prompt: 'def add(a, b):',
      suffix: '\n\nprint(add(1, 2))',
      max_tokens: 40,
      temperature: 0.1,
      seed: 3,
      stop: '\n\n',
    });
    expect(out.object).toBe('text_completion');
    expect(out.id).toMatch(/^cmpl-/);
    expect(out.choices).toEqual([
      {
        text: fakeGenerateReply('def add(a, b):', 'llama3.2'),
        index: 0,
        logprobs: null,
        finish_reason: 'stop',
      },
    ]);
    expect(out.usage?.total_tokens).toBe(
      (out.usage?.prompt_tokens ?? 0) + (out.usage?.completion_tokens ?? 0),
    );
    expect(out.usage?.completion_tokens).toBeGreaterThan(0);
    expect(lastGenerate()).toMatchObject({
      model: 'llama3.2',
      prompt: 'def add(a, b):',
      suffix: '\n\nprint(add(1, 2))',
      options: { num_predict: 40, temperature: 0.1, seed: 3, stop: ['\n\n'] },
    });
  });

  it('a list of prompts (how LangChain sends its batch): one choice per prompt', async () => {
    const before = generates().length;
    const out = await openai.completions.create({ model: 'llama3.2', prompt: ['first', 'second'] });
    expect(out.choices.map((c) => [c.index, c.text])).toEqual([
      [0, fakeGenerateReply('first', 'llama3.2')],
      [1, fakeGenerateReply('second', 'llama3.2')],
    ]);
    expect(generates().length - before).toBe(2);
  });

  it('max_tokens reached → finish_reason length', async () => {
    const out = await openai.completions.create({
      model: 'llama3.2',
      prompt: 'one two three four',
      max_tokens: 2,
    });
    expect(out.choices[0]?.finish_reason).toBe('length');
  });

  it('stream with include_usage: text chunks, the finish reason, a usage chunk, [DONE]', async () => {
    const stream = await openai.completions.create({
      model: 'llama3.2',
      prompt: 'stream this',
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let finish: string | null | undefined;
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      expect(chunk.object).toBe('text_completion');
      text += chunk.choices[0]?.text ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe(fakeGenerateReply('stream this', 'llama3.2'));
    expect(finish).toBe('stop');
    expect(usage?.completion_tokens).toBeGreaterThan(0);

    const raw = await fetch(`${gw.url}/v1/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-test', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'llama3.2', prompt: 'raw', stream: true }),
    });
    const body = await raw.text();
    expect(body.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(body).not.toContain('"usage"');
  });

  it('what Ollama cannot honour is refused by name', async () => {
    const echo = await failure(
      openai.completions.create({ model: 'llama3.2', prompt: 'x', echo: true }),
    );
    expect(echo).toBeInstanceOf(OpenAI.BadRequestError);
    expect(echo?.param).toBe('echo');
    expect(echo?.message).toContain('echo: echo is not supported');
    const tokens = await failure(openai.completions.create({ model: 'llama3.2', prompt: [1, 2] }));
    expect(tokens?.param).toBe('prompt');
    expect(tokens?.message).toContain('token arrays are not supported');
  });

  it('a failure mid-stream reaches the SDK as an error; aborting closes the upstream', async () => {
    fake.faults.set({ path: '/api/generate', errorAfterChunks: 1, errorMessage: 'boom' });
    const failing = await openai.completions.create({
      model: 'llama3.2',
      prompt: 'a b c d',
      stream: true,
    });
    const drain = async () => {
      for await (const _ of failing) {
        // drain
      }
    };
    const error = await failure(drain());
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(error?.code).toBe('STREAM_INTERRUPTED');
    fake.faults.clear();

    fake.faults.set({ path: '/api/generate', chunkDelayMs: 100 });
    const started = Date.now();
    const controller = new AbortController();
    const stream = await openai.completions.create(
      { model: 'llama3.2', prompt: SLOW_PROMPT, stream: true },
      { signal: controller.signal },
    );
    const consume = async () => {
      for await (const _ of stream) controller.abort();
    };
    await consume().catch(() => undefined);
    const entry = await fake.journal.waitFor(
      (e) => e.path === '/api/generate' && e.startedAt >= started && e.clientClosed,
      2000,
    );
    expect(entry.clientClosed).toBe(true);
  });
});

describe('thinking on /v1/chat/completions', () => {
  const messages = [{ role: 'user' as const, content: 'think please' }];
  const lastChat = () =>
    fake.journal.entries().findLast((e) => e.path === '/api/chat')?.body as Record<string, unknown>;

  it('reasoning_effort → think; the thinking comes back as `reasoning`, as Ollama names it', async () => {
    const out = await openai.chat.completions.create({
      model: 'llama3.2',
      messages,
      reasoning_effort: 'medium',
    });
    expect(lastChat().think).toBe('medium');
    const message = out.choices[0]?.message as unknown as Record<string, unknown>;
    expect(message.reasoning).toBe(fakeThinking('think please'));
    expect(message.content).toBe(fakeChatReply(messages, 'llama3.2'));

    const stream = await openai.chat.completions.create({
      model: 'llama3.2',
      messages,
      reasoning_effort: 'minimal',
      stream: true,
    });
    let reasoning = '';
    for await (const chunk of stream) {
      reasoning += (chunk.choices[0]?.delta as { reasoning?: string } | undefined)?.reasoning ?? '';
    }
    expect(lastChat().think).toBe('low');
    expect(reasoning).toBe(fakeThinking('think please'));
  });

  it("an assistant message's `reasoning` goes back as its thinking", async () => {
    await openai.chat.completions.create({
      model: 'llama3.2',
      messages: [
        ...messages,
        { role: 'assistant', content: 'ok', reasoning: 'before' } as never,
        { role: 'user', content: 'again' },
      ],
      reasoning_effort: 'none',
    });
    const sent = lastChat() as { think: unknown; messages: unknown[] };
    expect(sent.think).toBe(false);
    expect(sent.messages[1]).toEqual({ role: 'assistant', content: 'ok', thinking: 'before' });
  });
});
