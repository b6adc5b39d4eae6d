import Anthropic from '@anthropic-ai/sdk';
import { type FakeOllama, QUEUE_FULL_MESSAGE, startFakeOllama } from '@intellicore/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../src/testing.js';

/** 20 words: with chunkDelayMs 100 the fake streams for ~2 s, time for an abort to reach it. */
const SLOW_PROMPT =
  'a slow answer that the fake sends word by word, one every 100 ms, for about two seconds in all';

// Failures on /v1/messages as the official Anthropic SDK sees them: Anthropic's error shape,
// its error types and statuses, errors mid-stream, and a client going away.
let fake: FakeOllama;
let gw: TestGateway;
let anthropic: Anthropic;

beforeAll(async () => {
  fake = await startFakeOllama();
  gw = await startTestGateway({
    ollamaUrl: fake.url,
    env: { API_KEYS: 'sk-ant-test', MAX_BODY_BYTES: '4096' },
  });
  anthropic = new Anthropic({ baseURL: gw.url, apiKey: 'sk-ant-test', maxRetries: 0 });
});

afterEach(() => fake.faults.clear());

afterAll(async () => {
  await gw?.close();
  await fake?.close();
});

type ApiError = InstanceType<typeof Anthropic.APIError>;
const hello = {
  model: 'llama3.2',
  max_tokens: 32,
  messages: [{ role: 'user' as const, content: 'hi' }],
};
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e as ApiError,
  );

describe('errors in Anthropic shape', () => {
  it('keys: x-api-key and Authorization: Bearer both work; a missing or wrong key is 401', async () => {
    const bearer = new Anthropic({ baseURL: gw.url, authToken: 'sk-ant-test', maxRetries: 0 });
    expect((await bearer.messages.create(hello)).type).toBe('message');

    const wrong = new Anthropic({ baseURL: gw.url, apiKey: 'nope', maxRetries: 0 });
    const error = await failure(wrong.messages.create(hello));
    expect(error).toBeInstanceOf(Anthropic.AuthenticationError);
    expect(error?.error).toEqual({
      type: 'error',
      error: { type: 'authentication_error', message: 'Invalid API key', code: 'UNAUTHORIZED' },
    });

    const res = await fetch(`${gw.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(hello),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({
      type: 'error',
      error: { type: 'authentication_error', message: 'Missing API key' },
    });
  });

  it('bad input is 400 invalid_request_error naming the field', async () => {
    const { max_tokens: _, ...noMax } = hello;
    const error = await failure(anthropic.messages.create(noMax as typeof hello));
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect(error?.error).toMatchObject({
      error: { type: 'invalid_request_error', message: 'max_tokens: is required' },
    });
    const empty = await failure(anthropic.messages.create({ ...hello, messages: [] }));
    expect(empty?.error).toMatchObject({
      error: { message: 'messages: must contain at least one message' },
    });
    const serverTool = await failure(
      anthropic.messages.create({
        ...hello,
        tools: [{ type: 'web_search_20250305', name: 'web_search' }],
      }),
    );
    expect(serverTool?.status).toBe(400);
    const body = serverTool?.error as { error?: { message?: string } } | undefined;
    expect(body?.error?.message).toContain(
      'tools.0.type: only client tools (type "custom") are supported',
    );
  });

  it('a model outside the allow-list is 403 permission_error', async () => {
    const error = await failure(
      anthropic.messages.create({ ...hello, model: 'mixtral-not-allowed' }),
    );
    expect(error).toBeInstanceOf(Anthropic.PermissionDeniedError);
    expect(error?.error).toMatchObject({
      error: { type: 'permission_error', code: 'MODEL_NOT_ALLOWED' },
    });
  });

  it('a body over MAX_BODY_BYTES is 413 request_too_large', async () => {
    const big = 'x'.repeat(5000);
    const error = await failure(
      anthropic.messages.create({ ...hello, messages: [{ role: 'user', content: big }] }),
    );
    expect(error?.status).toBe(413);
    expect(error?.error).toMatchObject({ error: { type: 'request_too_large' } });
  });

  it('count_tokens and other paths are 404 not_found_error', async () => {
    const res = await fetch(`${gw.url}/v1/messages/count_tokens`, {
      method: 'POST',
      headers: { 'x-api-key': 'sk-ant-test', 'content-type': 'application/json' },
      body: JSON.stringify(hello),
    });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({
      type: 'error',
      error: { type: 'not_found_error', message: 'Unknown endpoint /v1/messages/count_tokens' },
    });
  });

  it('OVERLOADED is 529 overloaded_error with Retry-After (the SDK OverloadedError)', async () => {
    fake.faults.set({ path: '/api/chat', queueFull: true });
    const error = await failure(anthropic.messages.create(hello));
    expect(error).toBeInstanceOf(Anthropic.OverloadedError);
    expect(error?.status).toBe(529);
    expect(error?.headers?.get('retry-after')).toMatch(/^\d+$/);
    expect(error?.error).toMatchObject({
      error: { type: 'overloaded_error', code: 'OVERLOADED', message: QUEUE_FULL_MESSAGE },
    });
  });

  it('UPSTREAM_UNAVAILABLE is 503 overloaded_error', async () => {
    const dead = await startTestGateway({ ollamaUrl: 'http://127.0.0.1:9', waitReady: false });
    try {
      const client = new Anthropic({ baseURL: dead.url, apiKey: 'any', maxRetries: 0 });
      const error = await failure(client.messages.create(hello));
      expect(error?.status).toBe(503);
      expect(error?.error).toMatchObject({
        error: { type: 'overloaded_error', code: 'UPSTREAM_UNAVAILABLE' },
      });
    } finally {
      await dead.close();
    }
  });
});

describe('streams that fail or are left', () => {
  it('an upstream failure mid-stream is an `error` event the SDK throws', async () => {
    fake.faults.set({ path: '/api/chat', errorAfterChunks: 2, errorMessage: 'GPU fell over' });
    const stream = anthropic.messages.stream({
      ...hello,
      messages: [{ role: 'user', content: 'a b c d e' }],
    });
    let text = '';
    stream.on('text', (delta) => {
      text += delta;
    });
    const error = await failure(stream.finalMessage());
    expect(text.length).toBeGreaterThan(0);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect(error?.error).toEqual({
      type: 'error',
      error: {
        type: 'api_error',
        message: 'Upstream stream failed: GPU fell over',
        code: 'STREAM_INTERRUPTED',
      },
    });
  });

  it('a failure before the first event keeps its real status (no 200 stream)', async () => {
    fake.faults.set({ path: '/api/chat', queueFull: true });
    const error = await failure(anthropic.messages.stream(hello).finalMessage());
    expect(error?.status).toBe(529);
  });

  it('aborting a stream closes the upstream request', async () => {
    fake.faults.set({ path: '/api/chat', chunkDelayMs: 100 });
    const started = Date.now();
    const controller = new AbortController();
    const stream = anthropic.messages.stream(
      { ...hello, messages: [{ role: 'user', content: SLOW_PROMPT }] },
      { signal: controller.signal },
    );
    stream.on('text', () => controller.abort());
    await stream.done().catch(() => undefined); // ends as an abort
    expect(stream.aborted).toBe(true);
    const entry = await fake.journal.waitFor(
      (e) => e.path === '/api/chat' && e.startedAt >= started && e.clientClosed,
      2000,
    );
    expect(entry.clientClosed).toBe(true);
  });
});
