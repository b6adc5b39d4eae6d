/**
 * A seeded generator of malformed HTTP requests for the gateway's doors: random paths (bad
 * percent escapes, dot segments, unicode, long), methods, headers (auth, content types with odd
 * charsets, ids) and bodies (null, garbage bytes, deep nesting, truncated JSON, known request
 * shapes with fields of the wrong type or out of bounds). Same seed, same requests.
 */

import { createRandom, deep, type FuzzRequest, type Random, WEIRD_VALUES } from './fuzz-basics.js';
import { plausibleRequest } from './plausible-requests.js';

export { createRandom, type FuzzRequest };

const TRPC_PROCEDURES = [
  'health.live',
  'health.ready',
  'models.list',
  'models.get',
  'models.running',
  'models.allowed',
  'models.pull',
  'models.delete',
  'chat.completion',
  'chat.stream',
  'chat.generate',
  'chat.generateStream',
  'chat.embed',
  'chat.embedBatch',
  'chat.validateField',
  'chat.suggestFields',
  'templates.list',
  'templates.get',
  'templates.versions',
  'templates.create',
  'templates.update',
  'templates.delete',
  'templates.setLabel',
  'templates.render',
  'templates.renderAndChat',
  'templates.renderAndChatStream',
  'usage.summary',
];

const HTTP_PATHS = [
  '/v1/chat/completions',
  '/v1/embeddings',
  '/v1/models',
  '/v1/models/llama3.2',
  '/v1/models/',
  '/v1/models/x',
  '/api/chat',
  '/api/generate',
  '/api/embed',
  '/api/embeddings',
  '/api/tags',
  '/api/show',
  '/api/ps',
  '/api/version',
  '/api/pull',
  '/api/delete',
  '/healthz',
  '/readyz',
  '/metrics',
  '/docs.json',
  '/',
];

/** Percent escapes that are malformed or decode to invalid UTF-8. */
const BAD_ESCAPES = ['%ZZ', '%E0%A4%A', '%', '%FF%FE', '%C0%AF', '%D8%00', '%E0%A4'];

const GARBAGE_SEGMENTS = [
  '%00',
  '..',
  '%2e%2e',
  '%2F',
  '//',
  'ä',
  '%F0%9F%92%A9',
  '\u{1F4A9}',
  'a'.repeat(2000),
  '?',
  '#x',
  ';x=1',
  '%25',
  '~',
  'null',
  '__proto__',
  'constructor',
];

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'application/json; charset="\\',
  'application/json; charset=',
  'application/json;;;charset==x',
  'text/plain',
  'text/event-stream',
  'multipart/form-data; boundary=zz',
  'application/x-www-form-urlencoded',
  'application/octet-stream',
  'application/jsonx',
  '*/*',
  'x',
];

/** A plausible request body of a door, with some fields replaced by junk. */
function mutatedBody(r: Random): Record<string, unknown> {
  const base: Record<string, unknown> = r.pick([
    { model: 'llama3.2', messages: [{ role: 'user', content: 'hi' }] },
    { model: 'llama3.2', prompt: 'hi' },
    { model: 'nomic-embed-text', input: ['a', 'b'] },
    { messages: [{ role: 'user', content: 'hi' }] },
    { name: 'mistral' },
    { id: 'field-validation', variables: { field_name: 'x' } },
    { fieldName: 'email', value: 'x' },
    { objectType: 'customer' },
    { groupBy: 'key' },
  ]);
  const fields = [
    'model',
    'messages',
    'prompt',
    'input',
    'options',
    'keep_alive',
    'keepAlive',
    'format',
    'stream',
    'tools',
    'max_tokens',
    'temperature',
    'response_format',
    'name',
    'id',
    'variables',
    'images',
    'value',
    'context',
  ];
  const count = 1 + r.int(4);
  for (let i = 0; i < count; i++) {
    const field = r.pick(fields);
    base[field] = r.chance(0.3)
      ? {
          num_ctx: r.pick(WEIRD_VALUES),
          num_predict: r.pick(WEIRD_VALUES),
          temperature: r.pick(WEIRD_VALUES),
          [r.pick(['num_gpu', 'num_thread', 'seed', 'stop', 'x'])]: r.pick(WEIRD_VALUES),
        }
      : r.pick(WEIRD_VALUES);
  }
  if (r.chance(0.2))
    base.messages = [{ role: r.pick(['user', 'x', null]), content: r.pick(WEIRD_VALUES) }];
  return base;
}

function body(r: Random): Buffer | undefined {
  switch (r.int(11)) {
    case 0:
      return undefined;
    case 1:
      return Buffer.from(r.pick(['null', '', ' ', 'true', '1', '"x"', '[]', '{}']));
    case 2:
      return Buffer.from(Array.from({ length: 1 + r.int(300) }, () => r.int(256)));
    case 3:
      return Buffer.from(deep(1_000 + r.int(100_000), r.pick(['array', 'object'] as const)));
    case 4:
      return Buffer.from(deep(100 + r.int(30_000), 'array'));
    case 5: {
      const text = JSON.stringify(mutatedBody(r));
      return Buffer.from(text.slice(0, r.int(text.length + 1)));
    }
    case 6:
      return Buffer.from(JSON.stringify(mutatedBody(r)));
    case 7:
      return Buffer.from(JSON.stringify({ 0: mutatedBody(r), 1: null }));
    case 8: {
      // A deep structure inside an otherwise plausible request (any field, any door).
      const field = r.pick([
        'format',
        'value',
        'context',
        'variables',
        'options',
        'tools',
        'input',
      ]);
      const nested = deep(65 + r.int(12_000), r.pick(['array', 'object'] as const));
      const text = JSON.stringify({ ...mutatedBody(r), [field]: '__DEEP__' }).replace(
        '"__DEEP__"',
        nested,
      );
      return Buffer.from(text);
    }
    case 9:
      return Buffer.from(
        `{"model":"llama3.2","messages":[{"role":"user","content":"\\ud800${'é'.repeat(r.int(50))}"}]}`,
      );
    default:
      return Buffer.from(JSON.stringify(mutatedBody(r)));
  }
}

function path(r: Random, doors: 'all' | 'trpc'): string {
  let base =
    doors === 'trpc' || r.chance(0.35)
      ? `/trpc/${r.chance(0.15) ? `${r.pick(TRPC_PROCEDURES)},${r.pick(TRPC_PROCEDURES)}` : r.pick(TRPC_PROCEDURES)}`
      : r.pick(HTTP_PATHS);
  const mutations = r.int(3);
  for (let i = 0; i < mutations; i++) {
    const segment = r.chance(0.5) ? r.pick(BAD_ESCAPES) : r.pick(GARBAGE_SEGMENTS);
    base = r.chance(0.5) ? `${base}/${segment}` : `${base}${segment}`;
  }
  if (r.chance(0.4)) {
    const input = r.pick([
      '%ZZ',
      encodeURIComponent(JSON.stringify(mutatedBody(r))),
      encodeURIComponent(deep(5_000, 'array')),
      'null',
      '',
      encodeURIComponent('{"0":null}'),
    ]);
    base += `${r.pick(['?input=', '?batch=1&input=', '?'])}${input}`;
  }
  // Raw request targets cannot hold spaces or control characters (node refuses them).
  return encodeURI(base)
    .replace(/%25([0-9A-Fa-f]{2})/g, '%$1')
    .replace(/%25(?![0-9A-Fa-f]{2})/g, '%');
}

/** One malformed request; `keys` are the credentials to mix in (user, admin, …). */
export function malformedRequest(
  r: Random,
  keys: string[],
  doors: 'all' | 'trpc' = 'all',
): FuzzRequest {
  if (r.chance(0.5)) return plausibleRequest(r, keys, doors);
  const method = r.pick([
    'GET',
    'GET',
    'POST',
    'POST',
    'POST',
    'PUT',
    'DELETE',
    'PATCH',
    'HEAD',
    'OPTIONS',
  ]);
  const headers: Record<string, string> = {};
  const auth = r.pick([
    ...keys.map((k) => `Bearer ${k}`),
    ...keys.map((k) => `Bearer ${k}`),
    '',
    'Bearer',
    'Bearer  ',
    'Basic dXNlcjpwYXNz',
    `Bearer ${'k'.repeat(4000)}`,
    `bearer ${keys[0] ?? ''} extra`,
  ]);
  if (auth) headers.authorization = auth;
  if (r.chance(0.85)) headers['content-type'] = r.pick(CONTENT_TYPES);
  if (r.chance(0.3))
    headers['x-request-id'] = r.pick(['', 'a'.repeat(300), '../../x', 'ok-1', '%ZZ']);
  if (r.chance(0.2)) headers['last-event-id'] = r.pick(['x', '1:2', '', '%ZZ']);
  if (r.chance(0.2)) headers['cache-control'] = r.pick(['no-cache', 'garbage', 'no-store, x']);
  if (r.chance(0.2))
    headers.accept = r.pick(['text/event-stream', '*/*', 'application/x-ndjson', 'x']);
  if (r.chance(0.1)) headers.origin = r.pick(['https://evil.example', 'null', 'x']);
  const request: FuzzRequest = { method, path: path(r, doors), headers };
  const payload = method === 'GET' || method === 'HEAD' ? undefined : body(r);
  if (payload !== undefined) request.body = payload;
  return request;
}
