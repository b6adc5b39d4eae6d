/**
 * Bad input is the caller's 4xx on every door, never a 500: malformed percent-encoding, null
 * bodies, deeply nested JSON, odd content types, unknown paths — against a real gateway on
 * loopback (raw HTTP) and the fetch adapter, in front of the fake Ollama. Also: `/v1` takes
 * image_url as a plain string. (tRPC's own codes: trpc-codes.test.ts.)
 */
import { type FakeOllama, startFakeOllama } from '@intellicore/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createFetchHandler, createLogger, type FetchHandler } from '../src/index.js';
import { startTestGateway, type TestGateway } from '../src/testing.js';

const KEY = 'sk-bad-input';
let fake: FakeOllama;
let gw: TestGateway;
let edge: FetchHandler;

const deepArrays = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
/** `{"a":{"a":…1…}}` as text: deeper than any JSON.stringify of ours could print. */
const deep = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
const deepObject = (n: number) => {
  let value: Record<string, unknown> = { type: 'string' };
  for (let i = 0; i < n; i++) value = { type: 'object', properties: { x: value } };
  return value;
};

interface Case {
  name: string;
  method?: string;
  path: string;
  body?: string;
  contentType?: string;
  status: number;
  code: string;
}

/** The gateway code in each door's error body. */
function codeOf(path: string, body: string): string | undefined {
  const json = JSON.parse(body);
  if (path.startsWith('/v1/')) return json.error?.code;
  if (path.startsWith('/trpc/'))
    return (Array.isArray(json) ? json[0] : json).error?.data?.gatewayCode;
  return json.code ?? (json.error ? 'NOT_FOUND' : undefined);
}

beforeAll(async () => {
  fake = await startFakeOllama();
  gw = await startTestGateway({
    ollamaUrl: fake.url,
    env: { API_KEYS: KEY, MAX_BODY_BYTES: String(1024 * 1024) },
  });
  edge = createFetchHandler({
    service: gw.service,
    apiKeys: [KEY],
    maxBodyBytes: 1024 * 1024,
    logger: createLogger('silent'),
  });
});

afterAll(async () => {
  await gw?.close();
  await fake?.close();
});

beforeEach(() => fake.journal.clear());

const chat = (extra: Record<string, unknown>) =>
  JSON.stringify({ model: 'llama3.2', messages: [{ role: 'user', content: 'x' }], ...extra });

const CASES: Case[] = [
  // malformed percent-encoding, anywhere in a path
  { name: 'v1 model %E0%A4%A', path: '/v1/models/%E0%A4%A', status: 400, code: 'BAD_REQUEST' },
  { name: 'v1 model %ZZ', path: '/v1/models/%ZZ', status: 400, code: 'BAD_REQUEST' },
  { name: 'v1 path %ZZ', path: '/v1/%ZZ', status: 404, code: 'NOT_FOUND' },
  { name: 'api path %ZZ', path: '/api/%ZZ', status: 404, code: 'NOT_FOUND' },
  { name: 'trpc path %ZZ', path: '/trpc/%ZZ', status: 404, code: 'NOT_FOUND' },
  { name: 'root path %ZZ', path: '/%ZZ', status: 404, code: 'NOT_FOUND' },
  // null and garbage bodies
  {
    name: 'v1 null',
    method: 'POST',
    path: '/v1/chat/completions',
    body: 'null',
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'api null',
    method: 'POST',
    path: '/api/chat',
    body: 'null',
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'trpc null',
    method: 'POST',
    path: '/trpc/chat.completion',
    body: 'null',
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'trpc json null',
    method: 'POST',
    path: '/trpc/chat.completion',
    body: 'null',
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'v1 not json',
    method: 'POST',
    path: '/v1/embeddings',
    body: '{"model":',
    status: 400,
    code: 'BAD_REQUEST',
  },
  // 100,000 nested arrays
  {
    name: 'v1 deep',
    method: 'POST',
    path: '/v1/chat/completions',
    body: deepArrays(100_000),
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'api deep',
    method: 'POST',
    path: '/api/generate',
    body: deepArrays(100_000),
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'trpc deep',
    method: 'POST',
    path: '/trpc/chat.completion',
    body: deepArrays(100_000),
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'trpc deep json',
    method: 'POST',
    path: '/trpc/chat.completion',
    body: deepArrays(30_000),
    status: 400,
    code: 'BAD_REQUEST',
  },
  // deep structures inside valid requests never reach the upstream
  {
    name: 'api deep format',
    method: 'POST',
    path: '/api/chat',
    body: chat({ stream: false, format: deepObject(80) }),
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'v1 deep schema',
    method: 'POST',
    path: '/v1/chat/completions',
    body: chat({
      response_format: { type: 'json_schema', json_schema: { name: 'x', schema: deepObject(80) } },
    }),
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'trpc deep field value',
    method: 'POST',
    path: '/trpc/chat.validateField',
    body: `{"fieldName":"x","value":${deep(8_000)}}`,
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'trpc deep field context',
    method: 'POST',
    path: '/trpc/chat.validateField',
    body: `{"fieldName":"x","value":1,"context":{"a":${deep(8_000)}}}`,
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'trpc deep variables',
    method: 'POST',
    path: '/trpc/templates.render',
    body: `{"id":"document-summarize","variables":{"document":${deep(8_000)}}}`,
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'trpc deep tool arguments',
    method: 'POST',
    path: '/trpc/chat.completion',
    body: `{"messages":[{"role":"user","content":"x","toolCalls":[{"function":{"name":"f","arguments":${deep(8_000)}}}]}]}`,
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'v1 deep tool schema',
    method: 'POST',
    path: '/v1/chat/completions',
    body: chat({
      tools: [{ type: 'function', function: { name: 'f', parameters: deepObject(100) } }],
    }),
    status: 400,
    code: 'BAD_REQUEST',
  },
  // odd charset parameters and content types
  {
    name: 'v1 utf-16 charset',
    method: 'POST',
    path: '/v1/chat/completions',
    body: '{}',
    contentType: 'application/json; charset=utf-16',
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'api broken charset',
    method: 'POST',
    path: '/api/chat',
    body: '{}',
    contentType: 'application/json; charset="\\',
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'trpc latin1 charset',
    method: 'POST',
    path: '/trpc/chat.completion',
    body: '{}',
    contentType: 'application/json; charset=latin1',
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'trpc text/plain',
    method: 'POST',
    path: '/trpc/chat.completion',
    body: '{}',
    contentType: 'text/plain',
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'trpc form',
    method: 'POST',
    path: '/trpc/chat.completion',
    body: 'x',
    contentType: 'multipart/form-data; boundary=zz',
    status: 400,
    code: 'BAD_REQUEST',
  },
  // unknown paths and wrong methods
  { name: 'v1 unknown', path: '/v1/completions/nope', status: 404, code: 'NOT_FOUND' },
  { name: 'api unknown', path: '/api/nope', status: 404, code: 'NOT_FOUND' },
  { name: 'trpc unknown', path: '/trpc/nope.nope', status: 404, code: 'NOT_FOUND' },
  {
    name: 'trpc GET mutation',
    path: '/trpc/chat.completion',
    status: 405,
    code: 'METHOD_NOT_ALLOWED',
  },
  {
    name: 'api wrong method',
    method: 'PUT',
    path: '/api/chat',
    body: '{}',
    status: 405,
    code: 'METHOD_NOT_ALLOWED',
  },
  {
    name: 'trpc input not json',
    path: '/trpc/models.get?input=%ZZ',
    status: 400,
    code: 'BAD_REQUEST',
  },
  { name: 'unknown root', path: '/nope/../../etc/passwd', status: 404, code: 'NOT_FOUND' },
];

describe('bad input is a 4xx on every door, with a typed code', () => {
  it.each(CASES)('$name → $status $code', async (c) => {
    const res = await fetch(`${gw.url}${c.path}`, {
      method: c.method ?? 'GET',
      headers: {
        authorization: `Bearer ${KEY}`,
        'content-type': c.contentType ?? 'application/json',
      },
      ...(c.body === undefined ? {} : { body: c.body }),
    });
    const body = await res.text();
    expect(res.status, body.slice(0, 300)).toBe(c.status);
    expect(codeOf(c.path, body)).toBe(c.code);
    expect(body).not.toMatch(/at .*\.(ts|js):\d+/); // no stack frames
  });

  it('names the field: a malformed model id names the URL; a deep format names `format`', async () => {
    const res = await fetch(`${gw.url}/v1/models/%E0%A4%A`, {
      headers: { authorization: `Bearer ${KEY}` },
    });
    expect((await res.json()).error).toMatchObject({
      param: 'url',
      message: 'The URL has malformed percent-encoding',
    });
    const deep = await fetch(`${gw.url}/api/chat`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}` },
      body: chat({ format: deepObject(80) }),
    });
    expect(await deep.json()).toEqual({
      error: 'format: is nested more than 64 levels deep',
      code: 'BAD_REQUEST',
    });
    expect(fake.journal.entries().filter((e) => e.path === '/api/chat')).toEqual([]);
  });

  it('free-form JSON fields refuse nesting past 64 levels, naming the field', async () => {
    const trpc = async (procedure: string, input: string) => {
      const res = await fetch(`${gw.url}/trpc/${procedure}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        body: input,
      });
      expect(res.status).toBe(400);
      return (await res.json()).error.data.fieldErrors;
    };
    const message = 'is nested more than 64 levels deep';
    expect(await trpc('chat.validateField', `{"fieldName":"x","value":${deep(100)}}`)).toEqual([
      { path: 'value', message },
    ]);
    expect(
      await trpc('chat.validateField', `{"fieldName":"x","value":1,"context":{"a":${deep(100)}}}`),
    ).toEqual([{ path: 'context', message }]);
    expect(
      await trpc(
        'templates.render',
        `{"id":"document-summarize","variables":{"document":${deep(100)}}}`,
      ),
    ).toEqual([{ path: 'variables', message }]);
    const tool = `{"messages":[{"role":"user","content":"x","toolCalls":[{"function":{"name":"f","arguments":${deep(100)}}}]}]}`;
    expect(await trpc('chat.completion', tool)).toEqual([
      { path: 'messages.0.toolCalls', message },
    ]);
  });

  it('the fetch adapter answers the same 4xx', async () => {
    const call = (path: string, init: RequestInit = {}) =>
      edge(
        new Request(`http://edge.local${path}`, {
          ...init,
          headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        }),
      );
    const cases: Array<[string, RequestInit, number, string]> = [
      ['/trpc/%ZZ', {}, 400, 'BAD_REQUEST'],
      ['/trpc/chat.completion', { method: 'POST', body: 'null' }, 400, 'BAD_REQUEST'],
      ['/trpc/chat.completion', { method: 'POST', body: deepArrays(100_000) }, 400, 'BAD_REQUEST'],
      ['/trpc/nope', {}, 404, 'NOT_FOUND'],
      ['/trpc/chat.completion', {}, 405, 'METHOD_NOT_ALLOWED'],
    ];
    for (const [path, init, status, code] of cases) {
      const res = await call(path, init);
      const text = await res.text();
      expect(res.status, `${path} ${text.slice(0, 200)}`).toBe(status);
      expect(JSON.parse(text).error.data.gatewayCode).toBe(code);
    }
  });
});

describe('/v1 image_url', () => {
  const image = 'iVBORw0KGgo='; // base64 of a PNG header
  const send = (part: unknown) =>
    fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'llama3.2',
        messages: [{ role: 'user', content: [{ type: 'text', text: 'what is it?' }, part] }],
      }),
    });

  it('takes a data URL as a plain string (LangChain) or as {url} (OpenAI)', async () => {
    const plain = await send({ type: 'image_url', image_url: `data:image/png;base64,${image}` });
    expect(plain.status).toBe(200);
    const object = await send({
      type: 'image_url',
      image_url: { url: `data:image/png;base64,${image}`, detail: 'low' },
    });
    expect(object.status).toBe(200);
    const bodies = fake.journal
      .entries()
      .filter((e) => e.path === '/api/chat')
      .map((e) => (e.body as { messages: Array<{ images?: string[] }> }).messages[0]?.images);
    expect(bodies).toEqual([[image], [image]]);
  });

  it('refuses a remote URL string naming the part', async () => {
    const res = await send({ type: 'image_url', image_url: 'https://example.com/cat.png' });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatchObject({
      code: 'BAD_REQUEST',
      param: 'messages.0.content.1.image_url',
      message: 'messages.0.content.1.image_url: only base64 data: URLs are supported',
    });
  });
});
