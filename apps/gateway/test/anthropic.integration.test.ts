import Anthropic from '@anthropic-ai/sdk';
import { fakeChatReply } from '@intellicore/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { fakeAndGateway } from './helpers/fake-and-gateway.js';

// The official Anthropic SDK against /v1/messages, as a black box, over the fake Ollama.
const h = fakeAndGateway({ API_KEYS: 'sk-ant-test', SSE_PING_MS: '150' });
let anthropic: Anthropic;

beforeAll(() => {
  anthropic = new Anthropic({ baseURL: h.gw.url, apiKey: 'sk-ant-test', maxRetries: 0 });
});

const ask = (content: string) => [{ role: 'user' as const, content }];
const lastChat = () => h.lastChat();
const weatherTool = {
  name: 'get_weather',
  description: 'Weather in a city',
  input_schema: { type: 'object' as const, properties: { city: { type: 'string' } } },
};

describe('/v1/messages with the Anthropic SDK', () => {
  it('non-stream: text block, end_turn, usage; system and sampling options reach Ollama', async () => {
    // Sampling options older clients (and Claude Code) send; the newest SDK types omit them.
    const params = {
      model: 'llama3.2',
      max_tokens: 64,
      system: [
        { type: 'text' as const, text: 'Be brief. ' },
        { type: 'text' as const, text: 'Be kind.' },
      ],
      messages: ask('hello anthropic'),
      temperature: 0.3,
      top_p: 0.9,
      top_k: 20,
      stop_sequences: ['END'],
      metadata: { user_id: 'u-1' },
    };
    const msg = await anthropic.messages.create(params);
    expect(msg.type).toBe('message');
    expect(msg.role).toBe('assistant');
    expect(msg.id).toMatch(/^msg_/);
    expect(msg.content).toEqual([
      {
        type: 'text',
        text: fakeChatReply([{ role: 'user', content: 'hello anthropic' }], 'llama3.2'),
      },
    ]);
    expect(msg.stop_reason).toBe('end_turn');
    expect(msg.usage.input_tokens).toBeGreaterThan(0);
    expect(msg.usage.output_tokens).toBeGreaterThan(0);
    const sent = lastChat();
    expect(sent.messages[0]).toEqual({ role: 'system', content: 'Be brief. Be kind.' });
    expect(sent.options).toEqual({
      num_predict: 64,
      temperature: 0.3,
      top_p: 0.9,
      top_k: 20,
      stop: ['END'],
    });
    expect(sent).not.toHaveProperty('think');
  });

  it('max_tokens reached → stop_reason max_tokens', async () => {
    const msg = await anthropic.messages.create({
      model: 'llama3.2',
      max_tokens: 2,
      messages: ask('one two three four five'),
    });
    expect(msg.stop_reason).toBe('max_tokens');
    expect(msg.usage.output_tokens).toBe(2);
  });

  it('stream: the SDK assembles the same message; events come in Anthropic order', async () => {
    const stream = anthropic.messages.stream({
      model: 'llama3.2',
      max_tokens: 64,
      system: 'sys',
      messages: ask('stream me please'),
    });
    let text = '';
    stream.on('text', (delta) => {
      text += delta;
    });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    const final = await stream.finalMessage();
    const expected = fakeChatReply([{ role: 'user', content: 'stream me please' }], 'llama3.2');
    expect(text).toBe(expected);
    expect(final.content).toEqual([{ type: 'text', text: expected }]);
    expect(final.stop_reason).toBe('end_turn');
    expect(final.usage.output_tokens).toBeGreaterThan(0);
    expect(final.usage.input_tokens).toBe(lastChatPromptTokens());
    // message_start, one text block (start, deltas, stop), message_delta, message_stop.
    const collapsed = types.filter((t, i) => t !== types[i - 1]);
    expect(collapsed).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
  });

  it('stream on the wire: named SSE events, a ping after message_start', async () => {
    const res = await fetch(`${h.gw.url}/v1/messages`, {
      method: 'POST',
      headers: {
        'x-api-key': 'sk-ant-test',
        'anthropic-version': '2023-06-01',
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        model: 'llama3.2',
        max_tokens: 16,
        stream: true,
        messages: ask('wire'),
      }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const frames = (await res.text()).trim().split('\n\n');
    const names = frames.map((f) => /^event: (\S+)/.exec(f)?.[1]);
    expect(names.slice(0, 3)).toEqual(['message_start', 'ping', 'content_block_start']);
    expect(names.at(-1)).toBe('message_stop');
    for (const frame of frames) {
      const [event, data] = frame.split('\n');
      expect(JSON.parse(data!.slice('data: '.length)).type).toBe(event!.slice('event: '.length));
    }
  });

  it('an idle stream gets ping events (SSE_PING_MS), which the SDK ignores', async () => {
    h.fake.faults.set({ path: '/api/chat', chunkDelayMs: 600 });
    const res = await fetch(`${h.gw.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': 'sk-ant-test', 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'llama3.2',
        max_tokens: 16,
        stream: true,
        messages: ask('slow'),
      }),
    });
    const names = (await res.text())
      .trim()
      .split('\n\n')
      .map((f) => /^event: (\S+)/.exec(f)?.[1]);
    // One after message_start, then keep-alives while the upstream is silent.
    expect(names.filter((n) => n === 'ping').length).toBeGreaterThanOrEqual(2);
    expect(names.at(-1)).toBe('message_stop');

    const final = await anthropic.messages
      .stream({ model: 'llama3.2', max_tokens: 16, messages: ask('slow') })
      .finalMessage();
    expect(final.content).toEqual([
      { type: 'text', text: fakeChatReply([{ role: 'user', content: 'slow' }], 'llama3.2') },
    ]);
  });

  it('tools: tool_use block (non-stream and stream), tool_result goes back named', async () => {
    const messages = ask('what is the weather in Paris?');
    const msg = await anthropic.messages.create({
      model: 'llama3.2',
      max_tokens: 64,
      tools: [weatherTool],
      messages,
    });
    expect(msg.stop_reason).toBe('tool_use');
    const use = msg.content.find((b) => b.type === 'tool_use');
    expect(use).toMatchObject({ type: 'tool_use', name: 'get_weather', input: { city: 'Paris' } });
    expect(use?.type === 'tool_use' && use.id).toMatch(/^toolu_/);
    expect(lastChat().tools).toEqual([
      {
        type: 'function',
        function: {
          name: 'get_weather',
          description: 'Weather in a city',
          parameters: weatherTool.input_schema,
        },
      },
    ]);

    const stream = anthropic.messages.stream({
      model: 'llama3.2',
      max_tokens: 64,
      tools: [weatherTool],
      messages,
    });
    const json: string[] = [];
    stream.on('inputJson', (partial) => json.push(partial));
    const streamed = await stream.finalMessage();
    expect(streamed.stop_reason).toBe('tool_use');
    expect(streamed.content).toEqual([
      expect.objectContaining({ type: 'tool_use', name: 'get_weather', input: { city: 'Paris' } }),
    ]);
    expect(json.join('')).toBe('{"city":"Paris"}');

    // The result goes back as a tool message named after its tool_use, before the user's text.
    await anthropic.messages.create({
      model: 'llama3.2',
      max_tokens: 64,
      tools: [weatherTool],
      messages: [
        ...messages,
        { role: 'assistant', content: msg.content },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: (use as { id: string }).id, content: '21C' },
            { type: 'text', text: 'thanks' },
          ],
        },
      ],
    });
    const sent = lastChat().messages;
    expect(sent.at(-3)).toMatchObject({
      role: 'assistant',
      tool_calls: [{ function: { name: 'get_weather', arguments: { city: 'Paris' } } }],
    });
    expect(sent.at(-2)).toEqual({ role: 'tool', content: '21C', tool_name: 'get_weather' });
    expect(sent.at(-1)).toEqual({ role: 'user', content: 'thanks' });
  });

  it('image blocks: base64 reaches Ollama; a URL source is refused by name', async () => {
    const data = Buffer.from('not really a png').toString('base64');
    await anthropic.messages.create({
      model: 'llama3.2',
      max_tokens: 16,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data } },
            { type: 'text', text: 'what is this?' },
          ],
        },
      ],
    });
    expect(lastChat().messages.at(-1)).toEqual({
      role: 'user',
      content: 'what is this?',
      images: [data],
    });
    const error = await anthropic.messages
      .create({
        model: 'llama3.2',
        max_tokens: 16,
        messages: [
          {
            role: 'user',
            content: [{ type: 'image', source: { type: 'url', url: 'https://x/y.png' } }],
          },
        ],
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect((error as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
      type: 'error',
      error: {
        type: 'invalid_request_error',
        message: 'messages.0.content.0.source.type: only base64 image sources are supported',
      },
    });
  });
});

function lastChatPromptTokens(): number {
  const body = lastChat();
  const text = body.messages.map((m) => m.content).join('\n');
  return Math.ceil(text.length / 4);
}
