import { Writable } from 'node:stream';
import { type FakeOllama, startFakeOllama } from '@intellicore/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFetchHandler, createLogger, keyIdOf } from '../src/index.js';
import { startTestGateway, type TestGateway } from '../src/testing.js';

// Plain HTTP against a real gateway: CORS, bad bodies on every front, ops endpoints, logs.
let fake: FakeOllama;
let gw: TestGateway;
const logLines: Array<Record<string, unknown>> = [];

const KEY = 'secret-user-key-123';
const auth = { authorization: `Bearer ${KEY}` };

beforeAll(async () => {
  fake = await startFakeOllama();
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n')) if (line) logLines.push(JSON.parse(line));
      done();
    },
  });
  gw = await startTestGateway({
    ollamaUrl: fake.url,
    env: {
      API_KEYS: KEY,
      CORS_ORIGINS: 'https://app.example.com',
      MAX_BODY_BYTES: String(1024 * 1024),
    },
    logger: createLogger('info', sink),
  });
});

afterAll(async () => {
  await gw?.close();
  await fake?.close();
});

const post = (path: string, body: BodyInit, headers: Record<string, string> = {}) =>
  fetch(`${gw.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...auth, ...headers },
    body,
  });

describe('CORS', () => {
  it('answers preflights for allowed origins and refuses others', async () => {
    const ok = await fetch(`${gw.url}/trpc/chat.stream`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example.com',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(ok.headers.get('access-control-allow-headers')).toBe('authorization');
    const denied = await fetch(`${gw.url}/v1/models`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example.com', 'access-control-request-method': 'GET' },
    });
    expect(denied.status).toBe(403);
    expect(denied.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('SSE answers carry the CORS headers (POST streams and GET subscriptions)', async () => {
    const input = JSON.stringify({ messages: [{ role: 'user', content: 'hi' }] });
    const streamed = await fetch(`${gw.url}/trpc/chat.stream`, {
      method: 'POST',
      headers: { origin: 'https://app.example.com', 'content-type': 'application/json', ...auth },
      body: input,
    });
    expect(streamed.headers.get('content-type')).toContain('text/event-stream');
    expect(streamed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(await streamed.text()).toContain('"type":"done"');
    const get = await fetch(`${gw.url}/trpc/chat.stream?input=${encodeURIComponent(input)}`, {
      headers: { origin: 'https://app.example.com', ...auth },
    });
    expect(get.headers.get('content-type')).toContain('text/event-stream');
    expect(get.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(await get.text()).toContain('"type":"done"');
  });
});

describe('bad bodies on every front', () => {
  const chat = JSON.stringify({ model: 'llama3.2', messages: [{ role: 'user', content: 'x' }] });
  const invalidUtf8 = Buffer.concat([
    Buffer.from('{"model":"llama3.2","messages":[{"role":"user","content":"'),
    Buffer.from([0xff, 0xfe, 0xc3]),
    Buffer.from('"}]}'),
  ]);
  const huge = `{"model":"llama3.2","messages":[{"role":"user","content":"${'a'.repeat(10 * 1024 * 1024)}"}]}`;

  it('a 10 MB body → 413', async () => {
    const v1 = await post('/v1/chat/completions', huge);
    expect(v1.status).toBe(413);
    expect((await v1.json()).error.code).toBe('PAYLOAD_TOO_LARGE');
    const api = await post('/api/chat', huge);
    expect(api.status).toBe(413);
    expect((await api.json()).error).toMatch(/larger than/);
    const trpc = await post('/trpc/chat.completion', huge);
    expect(trpc.status).toBe(413);
    expect((await trpc.json()).error.data.gatewayCode).toBe('PAYLOAD_TOO_LARGE');
  });

  it('invalid UTF-8 → 400 naming the problem', async () => {
    const v1 = await post('/v1/chat/completions', invalidUtf8);
    expect(v1.status).toBe(400);
    expect((await v1.json()).error.message).toMatch(/UTF-8/);
    const api = await post('/api/chat', invalidUtf8);
    expect(api.status).toBe(400);
    expect((await api.json()).error).toMatch(/UTF-8/);
    const trpc = await post('/trpc/chat.completion', invalidUtf8);
    expect(trpc.status).toBe(400);
    const body = await trpc.json();
    expect(body.error.data.gatewayCode).toBe('BAD_REQUEST');
    expect(body.error.message).toMatch(/UTF-8/);
  });

  it('wrong types and invalid JSON → 400 naming the field', async () => {
    const wrong = JSON.stringify({ model: 'llama3.2', messages: [{ role: 'user', content: 5 }] });
    const v1 = await post('/v1/chat/completions', wrong);
    expect(v1.status).toBe(400);
    expect((await v1.json()).error.param).toBe('messages.0.content');
    const api = await post('/api/chat', wrong);
    expect((await api.json()).error).toMatch(/messages\.0\.content/);
    const notJson = await post('/v1/embeddings', '{"model":');
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).error.message).toMatch(/Invalid JSON/);
    expect((await post('/v1/chat/completions', chat)).status).toBe(200);
  });

  it('a client that leaves halfway through its body is CANCELLED, and the next request is served', async () => {
    const { connect } = await import('node:net');
    const { port } = new URL(gw.url);
    for (const [path, id] of [
      ['/v1/chat/completions', 'req-half-v1'],
      ['/api/chat', 'req-half-api'],
      ['/trpc/chat.completion', 'req-half-trpc'],
    ] as const) {
      const socket = connect(Number(port), '127.0.0.1');
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.write(
        `POST ${path} HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${KEY}\r\n` +
          `content-type: application/json\r\nx-request-id: ${id}\r\ncontent-length: 1000\r\n\r\n` +
          '{"model":"llama3.2","messages":[{"role":"user","content":"half',
      );
      await new Promise((resolve) => setTimeout(resolve, 30));
      socket.destroy();
      await expect
        .poll(() => logLines.find((l) => l.reqId === id)?.code, { timeout: 2_000 })
        .toBe('CANCELLED');
    }
    expect((await post('/v1/chat/completions', chat)).status).toBe(200);
  });

  it('unknown paths and methods', async () => {
    expect((await fetch(`${gw.url}/v1/nope`, { headers: auth })).status).toBe(404);
    expect((await fetch(`${gw.url}/api/chat`, { headers: auth })).status).toBe(405);
    expect((await fetch(`${gw.url}/nope`)).status).toBe(404);
  });
});

describe('ops endpoints', () => {
  it('/healthz and /readyz', async () => {
    expect((await fetch(`${gw.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${gw.url}/readyz`);
    expect(ready.status).toBe(200);
    expect((await ready.json()).ready).toBe(true);
  });

  it('/docs.json describes the tRPC API; / answers', async () => {
    const docs = await (await fetch(`${gw.url}/docs.json`)).json();
    expect(docs.procedures.map((p: { path: string }) => p.path)).toContain('chat.stream');
    expect((await fetch(`${gw.url}/`)).status).toBe(200);
  });

  it('/readyz answers 503 when no upstream is usable', async () => {
    const lonely = await startTestGateway({ ollamaUrl: 'http://127.0.0.1:9', waitReady: false });
    try {
      const res = await fetch(`${lonely.url}/readyz`);
      expect(res.status).toBe(503);
      expect((await res.json()).ready).toBe(false);
    } finally {
      await lonely.close();
    }
  });

  it('/metrics exposes requests, latency, TTFT, tokens, upstreams, streams', async () => {
    await post(
      '/v1/chat/completions',
      JSON.stringify({
        model: 'llama3.2',
        messages: [{ role: 'user', content: 'm' }],
        stream: true,
      }),
    ).then((r) => r.text());
    const text = await (await fetch(`${gw.url}/metrics`)).text();
    expect(text).toMatch(
      /gateway_requests_total\{route="\/v1\/chat\/completions",status="200"\} \d+/,
    );
    expect(text).toContain('gateway_request_duration_seconds_bucket');
    expect(text).toMatch(/gateway_time_to_first_token_seconds_count\{model="llama3.2"\} \d+/);
    expect(text).toMatch(/gateway_tokens_total\{model="llama3.2",direction="out"\} \d+/);
    expect(text).toContain('gateway_upstream_healthy{upstream="ollama-1",kind="ollama"} 1');
    expect(text).toContain('gateway_upstream_in_flight');
    expect(text).toContain('gateway_upstream_queue_depth');
    expect(text).toContain('gateway_open_streams 0');
  });
});

describe('SSE pings', () => {
  it('a slow generation gets SSE_PING_MS keep-alive comments between tokens', async () => {
    const pinging = await startTestGateway({ ollamaUrl: fake.url, env: { SSE_PING_MS: '100' } });
    const id = fake.faults.set({ path: '/api/chat', chunkDelayMs: 350 });
    try {
      const res = await fetch(`${pinging.url}/trpc/chat.stream`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ messages: [{ role: 'user', content: 'slow one' }] }),
      });
      const text = await res.text();
      // Between two tokens 350 ms apart, at least two pings 100 ms apart.
      expect(text).toMatch(/data: \{"type":"delta"[^\n]*\n\n: ping\n\n: ping\n\n/);
      expect(text).toContain('"type":"done"');
    } finally {
      fake.faults.clear(id);
      await pinging.close();
    }
  });
});

describe('fetch adapter', () => {
  it('serves the same router to fetch runtimes', async () => {
    const handler = createFetchHandler({ service: gw.service, apiKeys: [KEY] });
    const live = await handler(new Request('http://edge.local/trpc/health.live'));
    expect(live.status).toBe(200);
    expect((await live.json()).result.data.status).toBe('ok');
    const denied = await handler(new Request('http://edge.local/trpc/models.list'));
    expect(denied.status).toBe(401);
    const listed = await handler(
      new Request('http://edge.local/trpc/models.list', { headers: auth }),
    );
    expect(JSON.stringify(await listed.json())).toContain('llama3.2:latest');
  });

  it('keeps its own request log: requests.list shows a chat with its timeline (admin only)', async () => {
    const handler = createFetchHandler({
      service: gw.service,
      apiKeys: [KEY],
      adminApiKeys: ['edge-admin'],
    });
    const chat = await handler(
      new Request('http://edge.local/trpc/chat.completion', {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json', 'x-request-id': 'edge-chat-1' },
        body: JSON.stringify({ messages: [{ role: 'user', content: 'from the edge' }] }),
      }),
    );
    expect({ status: chat.status, body: await chat.text() }).toMatchObject({ status: 200 });
    const user = await handler(
      new Request('http://edge.local/trpc/requests.list', { headers: auth }),
    );
    expect(user.status).toBe(403);
    const listed = await handler(
      new Request('http://edge.local/trpc/requests.list', {
        headers: { authorization: 'Bearer edge-admin' },
      }),
    );
    expect(listed.status).toBe(200);
    type Entry = { id: string; timeline: Array<{ name: string }> };
    const items = (await listed.json()).result.data.items as Entry[];
    const entry = items.find((e) => e.id === 'edge-chat-1');
    expect(entry).toMatchObject({ door: 'trpc', status: 200, model: 'llama3.2' });
    expect(entry?.timeline.map((s) => s.name)).toContain('upstream');
  });
});

describe('request logs', () => {
  it('one JSON line per request, with model, tokens and no secrets or prompts', async () => {
    const res = await post(
      '/v1/chat/completions',
      JSON.stringify({
        model: 'llama3.2',
        messages: [{ role: 'user', content: 'top secret prompt' }],
      }),
      { 'x-request-id': 'req-log-1' },
    );
    expect(res.headers.get('x-request-id')).toBe('req-log-1');
    await res.json();
    await new Promise((r) => setTimeout(r, 20));
    const lines = logLines.filter((l) => l.reqId === 'req-log-1');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      route: '/v1/chat/completions',
      status: 200,
      model: 'llama3.2',
      upstream: 'ollama-1',
    });
    expect(lines[0]?.completionTokens).toBeGreaterThan(0);
    expect(lines[0]?.durationMs).toBeGreaterThan(0);
    const all = JSON.stringify(logLines);
    expect(all).not.toContain(KEY);
    expect(all).not.toContain('top secret prompt');
  });

  it('tRPC lines name the procedure and the key id (never the key)', async () => {
    const body = JSON.stringify({ messages: [{ role: 'user', content: 'x' }] });
    await (await post('/trpc/chat.completion', body, { 'x-request-id': 'req-log-2' })).json();
    await new Promise((r) => setTimeout(r, 20));
    const line = logLines.find((l) => l.reqId === 'req-log-2');
    expect(line).toMatchObject({
      route: 'trpc:chat.completion',
      procedure: 'chat.completion',
      status: 200,
      model: 'llama3.2',
      keyId: keyIdOf(KEY),
    });
  });

  it('a client abort of a non-stream call reaches the upstream and is logged as CANCELLED', async () => {
    const id = fake.faults.set({ path: '/api/chat', chunkDelayMs: 200, times: 1 });
    const started = Date.now();
    const controller = new AbortController();
    const aborted = fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth, 'x-request-id': 'req-abort-1' },
      body: JSON.stringify({ model: 'llama3.2', messages: [{ role: 'user', content: 'a b c' }] }),
      signal: controller.signal,
    }).catch((e: unknown) => e);
    await fake.journal.waitFor((e) => e.path === '/api/chat' && e.startedAt >= started, 2000);
    controller.abort();
    expect(await aborted).toBeInstanceOf(Error);
    const closed = await fake.journal.waitFor(
      (e) => e.path === '/api/chat' && e.startedAt >= started && e.clientClosed,
      2000,
    );
    expect(closed.clientClosed).toBe(true);
    fake.faults.clear(id);
    await new Promise((r) => setTimeout(r, 50));
    expect(logLines.find((l) => l.reqId === 'req-abort-1')?.code).toBe('CANCELLED');
  });

  it('prompts and completions are logged only with LOG_PROMPTS=true', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        for (const l of String(chunk).split('\n')) if (l) lines.push(JSON.parse(l));
        done();
      },
    });
    const verbose = await startTestGateway({
      ollamaUrl: fake.url,
      env: { LOG_PROMPTS: 'true' },
      logger: createLogger('info', sink),
    });
    try {
      const messages = [{ role: 'user', content: 'log me please' }];
      await fetch(`${verbose.url}/api/chat`, {
        method: 'POST',
        body: JSON.stringify({ model: 'llama3.2', messages, stream: false }),
      }).then((r) => r.json());
      await new Promise((r) => setTimeout(r, 20));
      const line = lines.find((l) => l.route === '/api/chat');
      expect(JSON.stringify(line?.prompt)).toContain('log me please');
      expect(line?.completion).toBe('echo(llama3.2): log me please');
    } finally {
      await verbose.close();
    }
  });
});
