/**
 * Valid requests of the gateway's endpoints with one to three values replaced by junk or by JSON
 * nested thousands of levels deep: they get past routing, auth and parsing, into validation,
 * core and the upstream call (where a 500 would hide).
 */
import { deep, type FuzzRequest, type Random, WEIRD_VALUES } from './fuzz-basics.js';

const hi = [{ role: 'user', content: 'hi' }];

/** A valid request per endpoint (method, body), for mutations that get past the first checks. */
const PLAUSIBLE: Record<string, { method: string; body: Record<string, unknown> }> = {
  '/v1/chat/completions': { method: 'POST', body: { model: 'llama3.2', messages: hi } },
  '/v1/embeddings': { method: 'POST', body: { model: 'nomic-embed-text', input: 'x' } },
  '/api/chat': { method: 'POST', body: { model: 'llama3.2', messages: hi, stream: false } },
  '/api/generate': { method: 'POST', body: { model: 'llama3.2', prompt: 'x' } },
  '/api/embed': { method: 'POST', body: { model: 'nomic-embed-text', input: ['x'] } },
  '/api/show': { method: 'POST', body: { model: 'llama3.2' } },
  '/api/pull': { method: 'POST', body: { model: 'mistral', stream: false } },
  '/trpc/chat.completion': { method: 'POST', body: { messages: hi } },
  '/trpc/chat.generate': { method: 'POST', body: { prompt: 'x' } },
  '/trpc/chat.embedBatch': { method: 'POST', body: { inputs: ['x'] } },
  '/trpc/chat.validateField': {
    method: 'POST',
    body: { fieldName: 'email', value: 'x' },
  },
  '/trpc/chat.suggestFields': { method: 'POST', body: { objectType: 'customer' } },
  '/trpc/templates.render': {
    method: 'POST',
    body: { id: 'document-summarize', variables: { document: 'x' } },
  },
  '/trpc/templates.renderAndChat': {
    method: 'POST',
    body: { id: 'document-summarize', variables: { document: 'x' } },
  },
  '/trpc/templates.create': {
    method: 'POST',
    body: { id: 'fuzz', name: 'F', template: 'x' },
  },
  '/trpc/models.delete': { method: 'POST', body: { name: 'mistral' } },
};

/** Sets a value somewhere inside `target` (a random existing path, or a new key). */
function plant(r: Random, target: Record<string, unknown>, value: unknown): void {
  let node: Record<string, unknown> = target;
  for (let hops = 0; hops < 4; hops++) {
    const keys = Object.keys(node);
    const key = keys.length > 0 && r.chance(0.8) ? r.pick(keys) : r.pick(['options', 'x', 'value']);
    const child = node[key];
    if (child && typeof child === 'object' && r.chance(0.6)) {
      node = child as Record<string, unknown>;
      continue;
    }
    node[key] = value;
    return;
  }
  node[r.pick(['format', 'value', 'variables'])] = value;
}

/** A valid request of some endpoint with one to three values replaced by junk or deep JSON. */
export function plausibleRequest(
  r: Random,
  keys: string[],
  doors: 'all' | 'trpc' = 'all',
): FuzzRequest {
  const paths = Object.keys(PLAUSIBLE).filter((p) => doors === 'all' || p.startsWith('/trpc/'));
  const path = r.pick(paths);
  const { method, body } = PLAUSIBLE[path]!;
  const copy = structuredClone(body);
  const deepMarkers: string[] = [];
  for (let i = 1 + r.int(3); i > 0; i--) {
    if (r.chance(0.5)) {
      const marker = `__DEEP_${deepMarkers.length}__`;
      const depth = r.chance(0.5) ? 65 + r.int(200) : 5_000 + r.int(20_000);
      deepMarkers.push(deep(depth, r.pick(['array', 'object'] as const)));
      plant(r, copy, marker);
    } else plant(r, copy, structuredClone(r.pick(WEIRD_VALUES)));
  }
  let text = JSON.stringify(copy);
  deepMarkers.forEach((nested, i) => {
    text = text.replace(`"__DEEP_${i}__"`, nested);
  });
  return {
    method,
    path,
    headers: { authorization: `Bearer ${r.pick(keys)}`, 'content-type': 'application/json' },
    body: Buffer.from(text),
  };
}
