import { createHash } from 'node:crypto';
import Anthropic from '@anthropic-ai/sdk';
import { fakeChatReply, fakeThinking } from '@intellicore/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { fakeAndGateway } from './helpers/fake-and-gateway.js';

// Thinking on /v1/messages with the official Anthropic SDK, over the fake Ollama (which thinks
// when asked to: `thinking` chunks before the content).
const h = fakeAndGateway({ API_KEYS: 'sk-ant-test' });
let anthropic: Anthropic;

beforeAll(() => {
  anthropic = new Anthropic({ baseURL: h.gw.url, apiKey: 'sk-ant-test', maxRetries: 0 });
});

const ask = (content: string) => [{ role: 'user' as const, content }];
const chats = () => h.calls();
const lastChat = () => h.lastChat();

describe('/v1/messages thinking', () => {
  const thinkingFor = (text: string) => fakeThinking(text);
  const digest = (text: string) => createHash('sha256').update(text).digest('base64');

  it('thinking enabled → think: true upstream; a thinking block with a signature first', async () => {
    const msg = await anthropic.messages.create({
      model: 'llama3.2',
      max_tokens: 2048,
      thinking: { type: 'enabled', budget_tokens: 1024 },
      messages: ask('think about it'),
    });
    expect(lastChat().think).toBe(true);
    expect(msg.content[0]).toEqual({
      type: 'thinking',
      thinking: thinkingFor('think about it'),
      signature: digest(thinkingFor('think about it')),
    });
    expect(msg.content[1]).toMatchObject({ type: 'text' });
  });

  it('stream: thinking_delta events, then the signature, then text', async () => {
    const stream = anthropic.messages.stream({
      model: 'llama3.2',
      max_tokens: 2048,
      thinking: { type: 'enabled', budget_tokens: 1024 },
      messages: ask('think in a stream'),
    });
    const deltas: string[] = [];
    for await (const event of stream) {
      if (event.type === 'content_block_delta') deltas.push(event.delta.type);
    }
    const final = await stream.finalMessage();
    const thought = thinkingFor('think in a stream');
    expect(final.content.map((b) => b.type)).toEqual(['thinking', 'text']);
    expect(final.content[0]).toEqual({
      type: 'thinking',
      thinking: thought,
      signature: digest(thought),
    });
    const collapsed = deltas.filter((t, i) => t !== deltas[i - 1]);
    expect(collapsed).toEqual(['thinking_delta', 'signature_delta', 'text_delta']);
  });

  it('thinking disabled → think: false; output_config.effort → a think level', async () => {
    await anthropic.messages.create({
      model: 'llama3.2',
      max_tokens: 16,
      thinking: { type: 'disabled' },
      messages: ask('no thinking'),
    });
    expect(lastChat().think).toBe(false);
    await anthropic.messages.create({
      model: 'llama3.2',
      max_tokens: 16,
      output_config: { effort: 'max' },
      messages: ask('effort'),
    });
    expect(lastChat().think).toBe('high');
  });

  it('a thinking block sent back becomes the assistant message thinking', async () => {
    await anthropic.messages.create({
      model: 'llama3.2',
      max_tokens: 16,
      messages: [
        ...ask('first'),
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'earlier thought', signature: 'sig' },
            { type: 'text', text: 'earlier answer' },
          ],
        },
        ...ask('second'),
      ],
    });
    expect(lastChat().messages[1]).toEqual({
      role: 'assistant',
      content: 'earlier answer',
      thinking: 'earlier thought',
    });
  });

  it('a model that cannot think: the request runs again without think, as Ollama does', async () => {
    h.fake.faults.set({
      path: '/api/chat',
      failStatus: 400,
      failBody: { error: '"llama3.2" does not support thinking' },
      times: 1,
    });
    const before = chats().length;
    const msg = await anthropic.messages.create({
      model: 'llama3.2',
      max_tokens: 64,
      thinking: { type: 'enabled', budget_tokens: 1024 },
      messages: ask('relax'),
    });
    expect(msg.content.map((b) => b.type)).toEqual(['text']);
    const tries = chats().slice(before);
    expect(tries.map((e) => (e.body as { think?: unknown }).think)).toEqual([true, undefined]);

    h.fake.faults.set({
      path: '/api/chat',
      failStatus: 400,
      failBody: { error: '"llama3.2" does not support thinking' },
      times: 1,
    });
    const streamed = await anthropic.messages
      .stream({
        model: 'llama3.2',
        max_tokens: 64,
        thinking: { type: 'enabled', budget_tokens: 1024 },
        messages: ask('relax in a stream'),
      })
      .finalMessage();
    expect(streamed.content).toEqual([
      {
        type: 'text',
        text: fakeChatReply([{ role: 'user', content: 'relax in a stream' }], 'llama3.2'),
      },
    ]);
    expect(
      chats()
        .slice(-2)
        .map((e) => (e.body as { think?: unknown }).think),
    ).toEqual([true, undefined]);
  });

  it('other upstream refusals are not retried', async () => {
    h.fake.faults.set({
      path: '/api/chat',
      failStatus: 400,
      failBody: { error: 'invalid options' },
      times: 1,
    });
    const before = chats().length;
    const error = await anthropic.messages
      .create({
        model: 'llama3.2',
        max_tokens: 64,
        thinking: { type: 'enabled', budget_tokens: 1024 },
        messages: ask('no retry'),
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect((error as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
      error: { type: 'invalid_request_error', message: 'invalid options' },
    });
    expect(chats().length - before).toBe(1);
  });
});
