import { fakeChatReply, fakeReplyChunks } from '@intellicore/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  chatStream,
  createGatewayClient,
  type GatewayClient,
  GatewayClientError,
  isGatewayClientError,
} from '../src/index.js';
import { type LiveGateway, startLiveGateway } from './helpers/live-gateway.js';

/**
 * The SDK against a real gateway on loopback, backed by the test kit's fake Ollama: typed calls,
 * the chatStream helper, aborts reaching the upstream, error codes and API-key auth.
 */
const USER_KEY = 'sk-user-sdk-test';
const ADMIN_KEY = 'sk-admin-sdk-test';
const MODEL = 'llama3.2';

async function codeOf(promise: Promise<unknown>): Promise<GatewayClientError> {
  try {
    await promise;
  } catch (error) {
    return GatewayClientError.from(error);
  }
  throw new Error('expected the call to fail');
}

/** A fetch whose SSE responses break (like a dropped connection) right after the first delta. */
const dropAfterFirstDelta: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  if (!String(input).includes('chat.stream') || !response.body) return response;
  const reader = response.body.getReader();
  let seen = '';
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) return controller.close();
      controller.enqueue(value);
      seen += new TextDecoder().decode(value);
      if (seen.includes('"delta"')) {
        await reader.cancel();
        controller.error(new TypeError('network connection lost'));
      }
    },
  });
  return new Response(body, { status: response.status, headers: response.headers });
};

async function drain(stream: AsyncIterable<string>, into: string[] = []): Promise<string[]> {
  for await (const text of stream) into.push(text);
  return into;
}

describe('the SDK against a live gateway', () => {
  let gateway: LiveGateway;
  let client: GatewayClient;

  beforeAll(async () => {
    gateway = await startLiveGateway({ API_KEYS: USER_KEY, ADMIN_API_KEYS: ADMIN_KEY });
    client = createGatewayClient({ url: gateway.url, apiKey: USER_KEY });
  });
  afterAll(async () => {
    await gateway?.close();
  });
  afterEach(() => {
    gateway.fake.faults.clear();
  });

  it('runs queries: models.list and models.get', async () => {
    const models = await client.models.list.query();
    expect(models.map((m) => m.name)).toContain('llama3.2:latest');
    const show = await client.models.get.query({ name: MODEL });
    expect(show.name).toBe(MODEL);
    expect(show.details.family).toBe('llama');
  });

  it('runs mutations: chat.completion answers with the fake model reply and usage', async () => {
    const messages = [{ role: 'user' as const, content: 'Hello SDK' }];
    const answer = await client.chat.completion.mutate({ model: MODEL, messages });
    expect(answer.message.content).toBe(fakeChatReply(messages, answer.model));
    expect(answer.usage.completionTokens).toBeGreaterThan(0);
    expect(answer.timings.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('chatStream yields the deltas, then the final result with usage and timings', async () => {
    const messages = [{ role: 'user' as const, content: 'stream these words please' }];
    const stream = chatStream(client, { model: MODEL, messages });
    const deltas: string[] = [];
    for await (const text of stream) deltas.push(text);
    const result = await stream.result;
    expect(deltas.join('')).toBe(fakeChatReply(messages, result.model));
    expect(deltas).toEqual(fakeReplyChunks(fakeChatReply(messages, result.model)));
    expect(result.message.content).toBe(deltas.join(''));
    expect(result.usage.completionTokens).toBeGreaterThan(0);
    expect(result.usage.totalTokens).toBe(
      result.usage.promptTokens + result.usage.completionTokens,
    );
    expect(result.timings.ttftMs).toBeGreaterThanOrEqual(0);
  });

  it('aborting a chatStream closes the upstream request and rejects with CANCELLED', async () => {
    gateway.fake.faults.set({ path: '/api/chat', chunkDelayMs: 150 });
    const content = `abort me ${Date.now()}`;
    const controller = new AbortController();
    const stream = chatStream(
      client,
      { model: MODEL, messages: [{ role: 'user', content }] },
      { signal: controller.signal },
    );
    const received: string[] = [];
    const error = await codeOf(
      (async () => {
        for await (const text of stream) {
          received.push(text);
          controller.abort();
        }
      })(),
    );
    expect(error.gatewayCode).toBe('CANCELLED');
    expect(received).toHaveLength(1);
    expect((await codeOf(stream.result)).gatewayCode).toBe('CANCELLED');
    const upstream = await gateway.fake.journal.waitFor(
      (e) => e.path === '/api/chat' && JSON.stringify(e.body).includes(content) && e.clientClosed,
    );
    expect(upstream.clientClosed).toBe(true);
  });

  it('leaving the loop early (break) also closes the upstream request', async () => {
    gateway.fake.faults.set({ path: '/api/chat', chunkDelayMs: 150 });
    const content = `break me ${Date.now()}`;
    const stream = chatStream(client, { model: MODEL, messages: [{ role: 'user', content }] });
    for await (const _text of stream) break;
    expect((await codeOf(stream.result)).gatewayCode).toBe('CANCELLED');
    const upstream = await gateway.fake.journal.waitFor(
      (e) => e.path === '/api/chat' && JSON.stringify(e.body).includes(content) && e.clientClosed,
    );
    expect(upstream.clientClosed).toBe(true);
  });

  it('an upstream failure mid-stream ends the stream with a code and is not re-run', async () => {
    gateway.fake.faults.set({ path: '/api/chat', errorAfterChunks: 1, errorMessage: 'boom' });
    const content = `fail me ${Date.now()}`;
    const stream = chatStream(client, { model: MODEL, messages: [{ role: 'user', content }] });
    const received: string[] = [];
    const error = await codeOf(drain(stream, received));
    expect(isGatewayClientError(error)).toBe(true);
    expect(['UPSTREAM_ERROR', 'STREAM_INTERRUPTED']).toContain(error.gatewayCode);
    expect(received.length).toBeLessThanOrEqual(1);
    const calls = gateway.fake.journal
      .entries()
      .filter((e) => e.path === '/api/chat' && JSON.stringify(e.body).includes(content));
    expect(calls).toHaveLength(1);
  });

  it('a connection dropped mid-answer ends with STREAM_INTERRUPTED, without re-running it', async () => {
    gateway.fake.faults.set({ path: '/api/chat', chunkDelayMs: 100 });
    const dropping = createGatewayClient({
      url: gateway.url,
      apiKey: USER_KEY,
      fetch: dropAfterFirstDelta,
    });
    const content = `drop me ${Date.now()}`;
    const received: string[] = [];
    const error = await codeOf(
      drain(
        chatStream(dropping, { model: MODEL, messages: [{ role: 'user', content }] }),
        received,
      ),
    );
    expect(error.gatewayCode).toBe('STREAM_INTERRUPTED');
    expect(received.length).toBeGreaterThanOrEqual(1);
    expect(error.details?.partialText).toBe(received.join(''));
    // The upstream request was closed, and no second one was made.
    await gateway.fake.journal.waitFor(
      (e) => e.path === '/api/chat' && JSON.stringify(e.body).includes(content) && e.clientClosed,
    );
    const calls = gateway.fake.journal
      .entries()
      .filter((e) => e.path === '/api/chat' && JSON.stringify(e.body).includes(content));
    expect(calls).toHaveLength(1);
  });

  it('maps errors to GatewayClientError codes with field errors', async () => {
    const empty = await codeOf(client.chat.completion.mutate({ model: MODEL, messages: [] }));
    expect(empty.gatewayCode).toBe('BAD_REQUEST');
    expect(empty.fieldErrors.map((f) => f.path)).toContain('messages');
    expect(empty.httpStatus).toBe(400);

    const notAllowed = await codeOf(
      client.chat.completion.mutate({
        model: 'not-on-the-list',
        messages: [{ role: 'user', content: 'x' }],
      }),
    );
    expect(notAllowed.gatewayCode).toBe('MODEL_NOT_ALLOWED');

    gateway.fake.faults.set({ path: '/api/chat', failStatus: 500, times: 1 });
    const upstream = await codeOf(
      client.chat.completion.mutate({ model: MODEL, messages: [{ role: 'user', content: 'x' }] }),
    );
    expect(upstream.gatewayCode).toMatch(/^UPSTREAM_/);

    const streamError = await codeOf(drain(chatStream(client, { model: MODEL, messages: [] })));
    expect(streamError.gatewayCode).toBe('BAD_REQUEST');
    expect(streamError.fieldErrors.map((f) => f.path)).toContain('messages');
  });

  it('sends the API key on HTTP and SSE; missing, wrong and non-admin keys are refused', async () => {
    const anonymous = createGatewayClient({ url: gateway.url });
    expect((await codeOf(anonymous.models.list.query())).gatewayCode).toBe('UNAUTHORIZED');
    const wrong = createGatewayClient({ url: gateway.url, apiKey: 'sk-wrong' });
    expect((await codeOf(wrong.models.list.query())).gatewayCode).toBe('UNAUTHORIZED');

    const refused = chatStream(anonymous, {
      model: MODEL,
      messages: [{ role: 'user', content: 'x' }],
    });
    const sseError = await codeOf(drain(refused));
    expect(sseError.gatewayCode).toBe('UNAUTHORIZED');

    expect((await codeOf(client.models.delete.mutate({ name: 'mistral' }))).gatewayCode).toBe(
      'FORBIDDEN',
    );
    const admin = createGatewayClient({ url: gateway.url, apiKey: ADMIN_KEY });
    expect(await admin.models.allowed.query()).toMatchObject({
      defaultChatModel: expect.any(String),
    });
  });
});
