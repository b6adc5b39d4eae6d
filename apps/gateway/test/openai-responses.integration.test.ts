import { fakeChatReply, fakeThinking } from '@intellicore/testkit';
import OpenAI from 'openai';
import { beforeAll, describe, expect, it } from 'vitest';
import { fakeAndGateway } from './helpers/fake-and-gateway.js';

// The official openai SDK's Responses API against /v1/responses (stateless), as a black box.
const h = fakeAndGateway({ API_KEYS: 'sk-test' });
let openai: OpenAI;

beforeAll(() => {
  openai = new OpenAI({ baseURL: `${h.gw.url}/v1`, apiKey: 'sk-test', maxRetries: 0 });
});

const lastChat = () => h.lastChat();
const reply = (text: string) => fakeChatReply([{ role: 'user', content: text }], 'llama3.2');
const weather: OpenAI.Responses.FunctionTool = {
  type: 'function',
  name: 'get_weather',
  description: 'Weather in a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } } },
  strict: false,
};

describe('/v1/responses', () => {
  it('string input with instructions; options map to Ollama; usage', async () => {
    const out = await openai.responses.create({
      model: 'llama3.2',
      instructions: 'Be brief.',
      input: 'hello responses',
      max_output_tokens: 64,
      temperature: 0.4,
      top_p: 0.8,
    });
    expect(out.object).toBe('response');
    expect(out.status).toBe('completed');
    expect(out.id).toMatch(/^resp_/);
    expect(out.output_text).toBe(reply('hello responses'));
    expect(out.output).toHaveLength(1);
    expect(out.output[0]).toMatchObject({
      type: 'message',
      role: 'assistant',
      status: 'completed',
    });
    expect(out.usage?.total_tokens).toBe(
      (out.usage?.input_tokens ?? 0) + (out.usage?.output_tokens ?? 0),
    );
    expect(out.usage?.output_tokens).toBeGreaterThan(0);
    expect((out as unknown as { store: boolean }).store).toBe(false);
    const sent = lastChat();
    expect(sent.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'hello responses' },
    ]);
    expect(sent.options).toEqual({ num_predict: 64, temperature: 0.4, top_p: 0.8 });
  });

  it('stream: the SDK helper assembles the response; events in OpenAI order', async () => {
    const stream = openai.responses.stream({ model: 'llama3.2', input: 'stream it now' });
    const types: string[] = [];
    const sequence: number[] = [];
    for await (const event of stream) {
      types.push(event.type);
      sequence.push(event.sequence_number);
    }
    const final = await stream.finalResponse();
    expect(final.output_text).toBe(reply('stream it now'));
    expect(final.status).toBe('completed');
    expect(final.usage?.output_tokens).toBeGreaterThan(0);
    expect(sequence).toEqual(sequence.map((_, i) => i));
    expect(types.filter((t, i) => t !== types[i - 1])).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
  });

  it('items: messages, a function call and its output; tools reach Ollama', async () => {
    const ask = 'what is the weather in Oslo?';
    const first = await openai.responses.create({
      model: 'llama3.2',
      input: ask,
      tools: [weather],
    });
    const call = first.output.find((o) => o.type === 'function_call');
    expect(call).toMatchObject({ type: 'function_call', name: 'get_weather', status: 'completed' });
    expect(call?.type === 'function_call' && JSON.parse(call.arguments)).toEqual({ city: 'Oslo' });
    expect(lastChat().tools).toEqual([
      {
        type: 'function',
        function: {
          name: 'get_weather',
          description: 'Weather in a city',
          parameters: weather.parameters,
        },
      },
    ]);

    await openai.responses.create({
      model: 'llama3.2',
      tools: [weather],
      input: [
        { role: 'user', content: ask },
        call as OpenAI.Responses.ResponseFunctionToolCall,
        {
          type: 'function_call_output',
          call_id: (call as { call_id: string }).call_id,
          output: '12C',
        },
        { role: 'developer', content: [{ type: 'input_text', text: 'answer in one line' }] },
      ],
    });
    expect(lastChat().messages).toEqual([
      { role: 'user', content: ask },
      {
        role: 'assistant',
        content: '',
        tool_calls: [{ function: { index: 0, name: 'get_weather', arguments: { city: 'Oslo' } } }],
      },
      { role: 'tool', content: '12C', tool_name: 'get_weather' },
      { role: 'system', content: 'answer in one line' },
    ]);
  });

  it('stream with a function call: the arguments arrive as deltas', async () => {
    const stream = openai.responses.stream({
      model: 'llama3.2',
      input: 'weather in Rome?',
      tools: [weather],
    });
    let args = '';
    stream.on('response.function_call_arguments.delta', (e) => {
      args += e.delta;
    });
    const final = await stream.finalResponse();
    expect(JSON.parse(args)).toEqual({ city: 'Rome' });
    expect(final.output).toEqual([
      expect.objectContaining({ type: 'function_call', name: 'get_weather', arguments: args }),
    ]);
  });

  it('text.format json_schema becomes Ollama format', async () => {
    const schema = {
      type: 'object',
      properties: { answer: { type: 'string' } },
      required: ['answer'],
      additionalProperties: false,
    };
    const out = await openai.responses.create({
      model: 'llama3.2',
      input: 'json please',
      text: { format: { type: 'json_schema', name: 'a', schema, strict: true } },
    });
    expect(lastChat().format).toEqual(schema);
    expect(JSON.parse(out.output_text)).toHaveProperty('answer');
  });

  it('max_output_tokens reached → incomplete, as OpenAI reports it', async () => {
    const out = await openai.responses.create({
      model: 'llama3.2',
      input: 'one two three four five six',
      max_output_tokens: 2,
    });
    expect(out.status).toBe('incomplete');
    expect(out.incomplete_details).toEqual({ reason: 'max_output_tokens' });
    const stream = await openai.responses.create({
      model: 'llama3.2',
      input: 'one two three four five six',
      max_output_tokens: 2,
      stream: true,
    });
    let last: string | undefined;
    for await (const event of stream) last = event.type;
    expect(last).toBe('response.incomplete');
  });

  it('image input as a data URL reaches Ollama as base64', async () => {
    const data = Buffer.from('img').toString('base64');
    await openai.responses.create({
      model: 'llama3.2',
      input: [
        {
          role: 'user',
          content: [
            { type: 'input_text', text: 'describe' },
            { type: 'input_image', image_url: `data:image/png;base64,${data}`, detail: 'auto' },
          ],
        },
      ],
    });
    expect(lastChat().messages).toEqual([{ role: 'user', content: 'describe', images: [data] }]);
  });
});

describe('/v1/responses reasoning', () => {
  it('reasoning.effort → think; the thinking comes back as a reasoning item', async () => {
    const out = await openai.responses.create({
      model: 'llama3.2',
      input: 'think first',
      reasoning: { effort: 'high' },
    });
    expect(lastChat().think).toBe('high');
    expect(out.output.map((o) => o.type)).toEqual(['reasoning', 'message']);
    expect(out.output[0]).toMatchObject({
      type: 'reasoning',
      summary: [{ type: 'summary_text', text: fakeThinking('think first') }],
    });
    expect(out.output_text).toBe(reply('think first'));

    await openai.responses.create({ model: 'llama3.2', input: 'x', reasoning: { effort: 'none' } });
    expect(lastChat().think).toBe(false);

    // Sent back, the reasoning item becomes the assistant message's thinking.
    await openai.responses.create({
      model: 'llama3.2',
      input: [
        { role: 'user', content: 'think first' },
        ...(out.output as OpenAI.Responses.ResponseInputItem[]),
        { role: 'user', content: 'and now?' },
      ],
    });
    expect(lastChat().messages[1]).toEqual({
      role: 'assistant',
      content: reply('think first'),
      thinking: fakeThinking('think first'),
    });
  });

  it('stream: reasoning summary deltas before the text; the SDK assembles both', async () => {
    const stream = openai.responses.stream({
      model: 'llama3.2',
      input: 'think in a stream',
      reasoning: { effort: 'low' },
    });
    let thinking = '';
    stream.on('response.reasoning_summary_text.delta', (e) => {
      thinking += e.delta;
    });
    const final = await stream.finalResponse();
    expect(thinking).toBe(fakeThinking('think in a stream'));
    expect(final.output.map((o) => o.type)).toEqual(['reasoning', 'message']);
    expect(final.output_text).toBe(reply('think in a stream'));
  });
});
