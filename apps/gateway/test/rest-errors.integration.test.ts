import { Writable } from 'node:stream';
import { type FakeOllama, fakeChatReply, startFakeOllama } from '@intellicore/testkit';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../src/testing.js';
import { rest, sseFrames } from './helpers/rest.js';

// The REST front past the happy path: its error bodies and statuses, malformed requests,
// failures before and during a stream, a client leaving mid-stream, rate limits, the seed's
// snake_case template variables, and what each request leaves in logs and metrics.
let fake: FakeOllama;
let gw: TestGateway;
let limited: TestGateway;
const logLines: Record<string, unknown>[] = [];
const KEY = 'sk-user';
const hello = [{ role: 'user', content: 'hello errors' }];

beforeAll(async () => {
  fake = await startFakeOllama();
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logLines.push(JSON.parse(line));
      done();
    },
  });
  gw = await startTestGateway({
    ollamaUrl: fake.url,
    env: { API_KEYS: KEY, MAX_BODY_BYTES: '4096' },
    logger: pino({ level: 'info' }, sink),
  });
  limited = await startTestGateway({
    ollamaUrl: fake.url,
    env: { API_KEYS: KEY, RATE_LIMIT_RPM: '1' },
  });
});

afterEach(() => fake.faults.clear());

afterAll(async () => {
  await gw?.close();
  await limited?.close();
  await fake?.close();
});

const post = (path: string, body: unknown, key = KEY) => rest(gw.url, 'POST', path, { key, body });

describe('error answers', () => {
  it('no key or a wrong key: 401 UNAUTHORIZED', async () => {
    const none = await rest(gw.url, 'GET', '/api/v1/models');
    expect(none.status).toBe(401);
    expect(none.json).toEqual({ error: { code: 'UNAUTHORIZED', message: 'Missing API key' } });
    const wrong = await rest(gw.url, 'GET', '/api/v1/models', { key: 'sk-nope' });
    expect(wrong.status).toBe(401);
    expect(wrong.json.error.code).toBe('UNAUTHORIZED');
  });

  it('invalid input names every field (400 BAD_REQUEST), as the tRPC door does', async () => {
    const bad = await post('/api/v1/chat/completions', {
      messages: [{ role: 'robot', content: 1 }],
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('BAD_REQUEST');
    expect(bad.json.error.fieldErrors.map((f: { path: string }) => f.path).sort()).toEqual([
      'messages.0.content',
      'messages.0.role',
    ]);
    const stream = await post('/api/v1/chat/completions', { messages: hello, stream: 'yes' });
    expect(stream.status).toBe(400);
    expect(stream.json.error).toEqual({
      code: 'BAD_REQUEST',
      message: 'stream: must be a boolean',
      fieldErrors: [{ path: 'stream', message: 'must be a boolean' }],
    });
    const query = await rest(gw.url, 'GET', '/api/v1/templates/field-validation?version=two', {
      key: KEY,
    });
    expect(query.status).toBe(400);
    expect(query.json.error.fieldErrors).toEqual([
      { path: 'version', message: 'Invalid input: expected number, received string' },
    ]);
  });

  it('malformed bodies: invalid JSON, not an object, too large, a path/body conflict', async () => {
    const json = await rest(gw.url, 'POST', '/api/v1/chat/completions', {
      key: KEY,
      headers: { 'content-type': 'application/json' },
      body: undefined,
    });
    expect(json.status).toBe(400); // empty body: the schema names what is missing
    expect(json.json.error.fieldErrors[0].path).toBe('messages');
    const broken = await fetch(`${gw.url}/api/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: '{"messages": [',
    });
    expect(broken.status).toBe(400);
    expect((await broken.json()).error.message).toMatch(/^Invalid JSON body: /);
    const array = await post('/api/v1/chat/completions', [hello]);
    expect(array.json.error).toMatchObject({
      code: 'BAD_REQUEST',
      message: 'The body must be a JSON object',
    });
    const large = await post('/api/v1/chat/completions', {
      messages: [{ role: 'user', content: 'x'.repeat(5000) }],
    });
    expect(large.status).toBe(413);
    expect(large.json.error.code).toBe('PAYLOAD_TOO_LARGE');
    const conflict = await post('/api/v1/templates/field-validation/render', {
      id: 'rag-answer',
      variables: {},
    });
    expect(conflict.status).toBe(400);
    expect(conflict.json.error.fieldErrors).toEqual([
      { path: 'id', message: "differs from the path's id (field-validation)" },
    ]);
  });

  it('unknown paths are 404 NOT_FOUND, a wrong method 405 with Allow', async () => {
    const missing = await rest(gw.url, 'GET', '/api/v1/nothing/here', { key: KEY });
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe('NOT_FOUND');
    expect(missing.json.error.message).toContain('/openapi.json');
    const method = await rest(gw.url, 'PATCH', '/api/v1/templates/x', { key: KEY });
    expect(method.status).toBe(405);
    expect(method.headers.get('allow')).toBe('GET, PUT, DELETE');
    expect(method.json.error.code).toBe('METHOD_NOT_ALLOWED');
  });

  it('domain failures keep their code and status: MODEL_NOT_ALLOWED 403, MODEL_NOT_FOUND 404', async () => {
    const notAllowed = await post('/api/v1/chat/completions', { model: 'gpt-4', messages: hello });
    expect(notAllowed.status).toBe(403);
    expect(notAllowed.json.error).toMatchObject({
      code: 'MODEL_NOT_ALLOWED',
      message: "Model 'gpt-4' is not allowed",
    });
    const notFound = await post('/api/v1/chat/completions', {
      model: 'llama3.2:3b',
      messages: hello,
      stream: true,
    });
    expect(notFound.status).toBe(404); // a failure before the first event is a plain answer
    expect(notFound.headers.get('content-type')).toMatch(/^application\/json/);
    expect(notFound.json.error.code).toBe('MODEL_NOT_FOUND');
  });

  it('RATE_LIMITED is 429 with Retry-After (plain and stream requests)', async () => {
    const body = { messages: hello };
    const first = await rest(limited.url, 'POST', '/api/v1/chat/completions', { key: KEY, body });
    expect(first.status).toBe(200);
    expect(first.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    for (const stream of [false, true]) {
      const refused = await rest(limited.url, 'POST', '/api/v1/chat/completions', {
        key: KEY,
        body: { ...body, stream },
      });
      expect(refused.status).toBe(429);
      expect(refused.json.error.code).toBe('RATE_LIMITED');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    }
  });
});

it('readiness answers 503 (same body, ready: false) when no upstream is usable', async () => {
  const down = await startTestGateway({ ollamaUrl: 'http://127.0.0.1:9', waitReady: false });
  try {
    await expect
      .poll(async () => {
        const ready = await rest(down.url, 'GET', '/api/v1/health/ready');
        return [ready.status, ready.json.ready, ready.json.upstreams[0]?.healthy];
      })
      .toEqual([503, false, false]);
  } finally {
    await down.close();
  }
});

describe('streams', () => {
  it('a failure after the first event ends the stream with event: error and the error body', async () => {
    fake.faults.set({ path: '/api/chat', errorAfterChunks: 2, errorMessage: 'model crashed' });
    const answer = await post('/api/v1/chat/completions', { messages: hello, stream: true });
    expect(answer.status).toBe(200);
    const frames = sseFrames(answer.text);
    expect(frames[0]?.data.type).toBe('delta');
    const last = frames.at(-1)!;
    expect(last.event).toBe('error');
    expect(last.data).toEqual({
      error: {
        code: 'STREAM_INTERRUPTED',
        message: 'Upstream stream failed: model crashed',
      },
    });
    expect(frames.some((f) => f.data.type === 'done')).toBe(false);
  });

  it('a client that leaves mid-stream closes the upstream request and the stream', async () => {
    fake.faults.set({ path: '/api/chat', chunkDelayMs: 300 });
    fake.journal.clear();
    const controller = new AbortController();
    const response = await fetch(`${gw.url}/api/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'a long story' }], stream: true }),
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toMatch(/^data: \{"type":"delta"/);
    controller.abort();
    const upstream = await fake.journal.waitFor(
      (e) => e.path === '/api/chat' && e.clientClosed,
      5_000,
    );
    expect(upstream.finishedAt).toBeUndefined();
    await expect
      .poll(
        async () =>
          (await fetch(`${gw.url}/metrics`).then((r) => r.text())).match(
            /^gateway_open_streams (\d+)/m,
          )?.[1],
      )
      .toBe('0');
  });
});

describe("the seed's snake_case variables over REST", () => {
  it('render and chat with field_name; MISSING_VARIABLES names field_name', async () => {
    const render = await post('/api/v1/templates/field-validation/render', {
      variables: { field_name: 'email', value: 'ada@example' },
    });
    expect(render.status).toBe(200);
    expect(render.json.prompt).toContain('Field: email\n');
    const chat = await post('/api/v1/templates/field-validation/chat', {
      variables: { field_name: 'email', value: 'ada@example' },
    });
    expect(chat.status).toBe(200);
    expect(typeof chat.json.data.valid).toBe('boolean');
    const missing = await post('/api/v1/templates/field-validation/render', {
      variables: { value: 'x', field_type: 'email' },
    });
    expect(missing.status).toBe(422);
    expect(missing.json.error).toEqual({
      code: 'MISSING_VARIABLES',
      message: 'Missing required variables: field_name',
      details: { missing: ['field_name'] },
      fieldErrors: [{ path: 'variables.field_name', message: 'required' }],
    });
  });
});

describe('records', () => {
  it('logs and counts each call under its REST route and procedure', async () => {
    const ok = await post('/api/v1/chat/completions', { messages: hello });
    expect(ok.json.message.content).toBe(fakeChatReply(hello, 'llama3.2'));
    const id = ok.headers.get('x-request-id');
    await expect
      .poll(() => logLines.find((l) => l.reqId === id))
      .toMatchObject({
        route: 'rest:POST /api/v1/chat/completions',
        procedure: 'chat.completion',
        status: 200,
        model: 'llama3.2',
      });
    const metrics = await fetch(`${gw.url}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(
      /gateway_requests_total\{route="rest:POST \/api\/v1\/chat\/completions",status="200"\} \d+/,
    );
    expect(metrics).toMatch(
      /route="rest:POST \/api\/v1\/chat\/completions",status="MODEL_NOT_ALLOWED"/,
    );
  });
});
