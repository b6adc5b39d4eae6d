import OpenAI from 'openai';
import { beforeAll, describe, expect, it } from 'vitest';
import { fakeAndGateway } from './helpers/fake-and-gateway.js';

/** 20 words: with chunkDelayMs 100 the fake streams for ~2 s, time for an abort to reach it. */
const SLOW_PROMPT =
  'a slow answer that the fake sends word by word, one every 100 ms, for about two seconds in all';

// Failures on /v1/responses as the official openai SDK sees them: stateless refusals, OpenAI
// error objects, an upstream failing mid-stream, a client going away.
const h = fakeAndGateway({ API_KEYS: 'sk-test' });
let openai: OpenAI;

beforeAll(() => {
  openai = new OpenAI({ baseURL: `${h.gw.url}/v1`, apiKey: 'sk-test', maxRetries: 0 });
});

describe('/v1/responses failures', () => {
  type ApiError = InstanceType<typeof OpenAI.APIError>;
  const failure = (p: Promise<unknown>) =>
    p.then(
      () => undefined,
      (e: unknown) => e as ApiError,
    );

  it('previous_response_id and store: true are 400: the gateway is stateless', async () => {
    const prev = await failure(
      openai.responses.create({ model: 'llama3.2', input: 'hi', previous_response_id: 'resp_1' }),
    );
    expect(prev).toBeInstanceOf(OpenAI.BadRequestError);
    expect(prev?.message).toContain(
      'previous_response_id: the gateway is stateless: send the whole conversation in `input`',
    );
    expect(prev?.param).toBe('previous_response_id');
    const store = await failure(
      openai.responses.create({ model: 'llama3.2', input: 'hi', store: true }),
    );
    expect(store).toBeInstanceOf(OpenAI.BadRequestError);
    expect(store?.param).toBe('store');
  });

  it('unsupported tools and models outside the allow-list are refused with OpenAI errors', async () => {
    const tool = await failure(
      openai.responses.create({ model: 'llama3.2', input: 'hi', tools: [{ type: 'web_search' }] }),
    );
    expect(tool?.status).toBe(400);
    expect(tool?.message).toContain('tools.0.type: only function tools are supported');
    const model = await failure(openai.responses.create({ model: 'gpt-4o', input: 'hi' }));
    expect(model).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect(model?.code).toBe('MODEL_NOT_ALLOWED');
  });

  it('a failure mid-stream ends with an error event and response.failed', async () => {
    h.fake.faults.set({ path: '/api/chat', errorAfterChunks: 2, errorMessage: 'out of memory' });
    const stream = await openai.responses.create({
      model: 'llama3.2',
      input: 'a b c d e f',
      stream: true,
    });
    const events: OpenAI.Responses.ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    const [error, failed] = events.slice(-2);
    expect(error).toMatchObject({
      type: 'error',
      code: 'STREAM_INTERRUPTED',
      message: 'Upstream stream failed: out of memory',
    });
    expect(failed).toMatchObject({
      type: 'response.failed',
      response: {
        status: 'failed',
        error: { code: 'STREAM_INTERRUPTED', message: 'Upstream stream failed: out of memory' },
      },
    });
  });

  it('aborting a stream closes the upstream request', async () => {
    h.fake.faults.set({ path: '/api/chat', chunkDelayMs: 100 });
    const started = Date.now();
    const controller = new AbortController();
    const stream = await openai.responses.create(
      { model: 'llama3.2', input: SLOW_PROMPT, stream: true },
      { signal: controller.signal },
    );
    const consume = async () => {
      for await (const event of stream) {
        if (event.type === 'response.output_text.delta') controller.abort();
      }
    };
    await consume().catch(() => undefined);
    const entry = await h.fake.journal.waitFor(
      (e) => e.path === '/api/chat' && e.startedAt >= started && e.clientClosed,
      2000,
    );
    expect(entry.clientClosed).toBe(true);
  });
});
