import { randomBytes } from 'node:crypto';
import { type FakeOllama, startFakeOllama } from '@intellicore/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../src/testing.js';
import { type ReceivedSpan, startOtlpReceiver } from './helpers/otlp-receiver.js';
import { collect, createTestClient } from './helpers/trpc-client.js';

/**
 * OpenTelemetry traces end to end: a real OTLP/HTTP (http/json) receiver on loopback gets one
 * server span per request on every door, with the GenAI attributes, child spans for rate limit,
 * cache, queue and the upstream call, the caller's traceparent as parent, and that trace passed
 * on to Ollama. Nothing secret in any span.
 */

const USER_KEY = 'sk-trace-user-0123456789abcdef';
const ADMIN_KEY = 'sk-trace-admin-0123456789abcdef';
let fake: FakeOllama;
let gw: TestGateway;
let otlp: Awaited<ReturnType<typeof startOtlpReceiver>>;

beforeAll(async () => {
  otlp = await startOtlpReceiver();
  fake = await startFakeOllama();
  gw = await startTestGateway({
    ollamaUrl: fake.url,
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '50',
      OTEL_SERVICE_NAME: 'gateway-under-test',
      API_KEYS: USER_KEY,
      ADMIN_API_KEYS: ADMIN_KEY,
      RATE_LIMIT_RPM: '100000',
      CACHE_TTL_SECONDS: '60',
    },
  });
});
afterAll(async () => {
  await gw?.close();
  await fake?.close();
  await otlp?.close();
});

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

interface Traced {
  server: ReceivedSpan;
  children: ReceivedSpan[];
  traceId: string;
  parentId: string;
}

/** Runs a call with a fresh incoming traceparent; waits for its server span (and children). */
async function traced(
  call: (headers: Record<string, string>) => Promise<unknown>,
): Promise<Traced> {
  const traceId = hex(16);
  const parentId = hex(8);
  await call({ traceparent: `00-${traceId}-${parentId}-01` });
  let server: ReceivedSpan | undefined;
  await expect
    .poll(() => (server = otlp.spans.find((s) => s.traceId === traceId && s.kind === 2)), {
      timeout: 5000,
    })
    .toBeDefined();
  const s = server!;
  // Children end before their server span, so they are exported with it or earlier.
  const children = otlp.spans.filter((c) => c.traceId === traceId && c.parentSpanId === s.spanId);
  return { server: s, children, traceId, parentId };
}

const post = (path: string, body: unknown, headers: Record<string, string>, key = USER_KEY) =>
  fetch(`${gw.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, ...headers },
    body: JSON.stringify(body),
  }).then(async (r) => ({ status: r.status, text: await r.text() }));

let n = 0;
const prompt = () => `trace prompt ${++n} ${hex(4)}`;

function expectChatSpan(t: Traced, door: string, text: string, stream = false) {
  expect(t.server.parentSpanId).toBe(t.parentId);
  expect(t.server.name).toBe('chat llama3.2');
  expect(t.server.service).toBe('gateway-under-test');
  expect(t.server.attributes).toMatchObject({
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'ollama',
    'gen_ai.request.model': 'llama3.2',
    'gen_ai.response.model': 'llama3.2',
    'gen_ai.request.temperature': 0,
    'gen_ai.request.max_tokens': 20,
    'gateway.door': door,
    'gateway.upstream': 'ollama-1',
    'gateway.cache.hit': false,
  });
  expect(t.server.attributes['gen_ai.usage.input_tokens']).toBeGreaterThan(0);
  expect(t.server.attributes['gen_ai.usage.output_tokens']).toBeGreaterThan(0);
  expect(t.server.attributes['gateway.key.name']).toMatch(/^key_/);
  expect(t.server.attributes['error.type']).toBeUndefined();
  if (stream) expect(t.server.attributes['gateway.stream']).toBe(true);
  expect(t.server.events.map((e) => e.name)).toContain('gen_ai.first_token');
  const names = t.children.map((c) => c.name).sort();
  expect(names).toEqual(['cache', 'queue', 'rate_limit', 'upstream ollama-1']);
  const upstream = t.children.find((c) => c.name === 'upstream ollama-1')!;
  expect(upstream.kind).toBe(3);
  // The upstream call carried the trace on: Ollama sees the upstream span as its parent.
  const sent = fake.journal
    .entries()
    .find((e) => e.path === '/api/chat' && JSON.stringify(e.body).includes(text));
  expect(sent?.headers.traceparent).toBe(`00-${t.traceId}-${upstream.spanId}-01`);
}

function expectFailedSpan(t: Traced, door: string) {
  expect(t.server.parentSpanId).toBe(t.parentId);
  expect(t.server.status.code).toBe(2);
  expect(t.server.attributes['gateway.door']).toBe(door);
  expect(t.server.attributes['error.type']).toBe('UPSTREAM_ERROR');
  const upstream = t.children.find((c) => c.name === 'upstream ollama-1');
  expect(upstream?.attributes['error.type']).toBe('UPSTREAM_ERROR');
  expect(upstream?.status.code).toBe(2);
}

function expectEmbedSpan(t: Traced, door: string) {
  expect(t.server.parentSpanId).toBe(t.parentId);
  expect(t.server.name).toBe('embeddings nomic-embed-text');
  expect(t.server.attributes).toMatchObject({
    'gen_ai.operation.name': 'embeddings',
    'gen_ai.request.model': 'nomic-embed-text',
    'gen_ai.response.model': 'nomic-embed-text',
    'gateway.door': door,
  });
  expect(t.server.attributes['gen_ai.usage.input_tokens']).toBeGreaterThan(0);
  // The (micro-batched) upstream call is a child too, and Ollama continues this trace.
  expect(t.children.map((c) => c.name)).toEqual(
    expect.arrayContaining(['queue', 'upstream ollama-1']),
  );
  const upstream = t.children.find((c) => c.name === 'upstream ollama-1')!;
  expect(upstream.kind).toBe(3);
  const sent = fake.journal
    .entries()
    .find((e) => e.path === '/api/embed' && e.headers.traceparent?.includes(t.traceId));
  expect(sent?.headers.traceparent).toBe(`00-${t.traceId}-${upstream.spanId}-01`);
}

const messages = (text: string) => [{ role: 'user', content: text }];
const FAIL = 'explode-upstream';

beforeAll(() => {
  fake.faults.set({ path: '/api/chat', inputContains: FAIL, failStatus: 500 });
});

describe('OpenAI door (/v1)', () => {
  it('chat, stream, embed and a failure', async () => {
    const body = (text: string, stream = false) => ({
      model: 'llama3.2',
      messages: messages(text),
      temperature: 0,
      max_tokens: 20,
      stream,
    });
    let text = prompt();
    expectChatSpan(
      await traced((h) => post('/v1/chat/completions', body(text), h)),
      'openai',
      text,
    );
    text = prompt();
    const s = await traced((h) => post('/v1/chat/completions', body(text, true), h));
    expectChatSpan(s, 'openai', text, true);
    const e = await traced((h) =>
      post('/v1/embeddings', { model: 'nomic-embed-text', input: prompt() }, h),
    );
    expectEmbedSpan(e, 'openai');
    const f = await traced((h) => post('/v1/chat/completions', body(FAIL), h));
    expectFailedSpan(f, 'openai');
  });
});

describe('Anthropic door (/v1/messages)', () => {
  it('chat, stream and a failure', async () => {
    const body = (text: string, stream = false) => ({
      model: 'llama3.2',
      messages: messages(text),
      temperature: 0,
      max_tokens: 20,
      stream,
    });
    let text = prompt();
    expectChatSpan(await traced((h) => post('/v1/messages', body(text), h)), 'anthropic', text);
    text = prompt();
    const s = await traced((h) => post('/v1/messages', body(text, true), h));
    expectChatSpan(s, 'anthropic', text, true);
    expectFailedSpan(await traced((h) => post('/v1/messages', body(FAIL), h)), 'anthropic');
  });
});

describe('Ollama door (/api)', () => {
  it('chat, stream, embed and a failure', async () => {
    const body = (text: string, stream = false) => ({
      model: 'llama3.2',
      messages: messages(text),
      options: { temperature: 0, num_predict: 20 },
      stream,
    });
    let text = prompt();
    expectChatSpan(await traced((h) => post('/api/chat', body(text), h)), 'ollama', text);
    text = prompt();
    expectChatSpan(
      await traced((h) => post('/api/chat', body(text, true), h)),
      'ollama',
      text,
      true,
    );
    const e = await traced((h) =>
      post('/api/embed', { model: 'nomic-embed-text', input: prompt() }, h),
    );
    expectEmbedSpan(e, 'ollama');
    expectFailedSpan(await traced((h) => post('/api/chat', body(FAIL), h)), 'ollama');
  });
});

describe('REST door (/api/v1)', () => {
  it('chat, stream, embed and a failure', async () => {
    const body = (text: string, stream = false) => ({
      model: 'llama3.2',
      messages: messages(text),
      options: { temperature: 0, num_predict: 20 },
      stream,
    });
    let text = prompt();
    expectChatSpan(
      await traced((h) => post('/api/v1/chat/completions', body(text), h)),
      'rest',
      text,
    );
    text = prompt();
    const s = await traced((h) => post('/api/v1/chat/completions', body(text, true), h));
    expectChatSpan(s, 'rest', text, true);
    const e = await traced((h) =>
      post('/api/v1/chat/embeddings', { model: 'nomic-embed-text', input: prompt() }, h),
    );
    expectEmbedSpan(e, 'rest');
    expectFailedSpan(await traced((h) => post('/api/v1/chat/completions', body(FAIL), h)), 'rest');
  });
});

describe('tRPC door', () => {
  const input = (text: string) => ({
    model: 'llama3.2',
    messages: [{ role: 'user' as const, content: text }],
    options: { temperature: 0, num_predict: 20 },
  });
  it('chat, stream, embed and a failure', async () => {
    let text = prompt();
    const t = await traced((h) =>
      createTestClient(gw.url, USER_KEY, h).chat.completion.mutate(input(text)),
    );
    expectChatSpan(t, 'trpc', text);
    text = prompt();
    const s = await traced((h) =>
      collect(createTestClient(gw.url, USER_KEY, h).chat.stream.subscribe(input(text))),
    );
    expectChatSpan(s, 'trpc', text, true);
    const e = await traced((h) =>
      createTestClient(gw.url, USER_KEY, h).chat.embed.mutate({
        model: 'nomic-embed-text',
        input: prompt(),
      }),
    );
    expectEmbedSpan(e, 'trpc');
    const f = await traced((h) =>
      createTestClient(gw.url, USER_KEY, h)
        .chat.completion.mutate(input(FAIL))
        .catch(() => undefined),
    );
    expectFailedSpan(f, 'trpc');
  });
});

describe('nothing secret in spans', () => {
  it('no API key and, without LOG_PROMPTS, no prompt or answer', async () => {
    await expect.poll(() => otlp.spans.length).toBeGreaterThan(40);
    const all = JSON.stringify(otlp.spans);
    expect(all).not.toContain(USER_KEY);
    expect(all).not.toContain(ADMIN_KEY);
    expect(all).not.toContain('trace prompt');
    expect(otlp.spans.flatMap((s) => s.events.map((e) => e.name))).not.toContain('gen_ai.prompt');
  });
});

// Last: its spans carry prompts on purpose, after the check that the others do not.
describe('LOG_PROMPTS=true', () => {
  it('adds the prompt and the answer as span events', async () => {
    const kept = await startTestGateway({
      ollamaUrl: fake.url,
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
        OTEL_BSP_SCHEDULE_DELAY: '50',
        LOG_PROMPTS: 'true',
        API_KEYS: USER_KEY,
      },
    });
    try {
      const t = await traced((h) =>
        fetch(`${kept.url}/v1/chat/completions`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${USER_KEY}`,
            ...h,
          },
          body: JSON.stringify({ model: 'llama3.2', messages: messages('kept words') }),
        }).then((r) => r.text()),
      );
      const events = new Map(t.server.events.map((e) => [e.name, e.attributes]));
      expect(String(events.get('gen_ai.prompt')?.['gen_ai.prompt'])).toContain('kept words');
      expect(String(events.get('gen_ai.completion')?.['gen_ai.completion']).length).toBeGreaterThan(
        0,
      );
      expect(JSON.stringify(t.server)).not.toContain(USER_KEY);
    } finally {
      await kept.close();
    }
  });
});
