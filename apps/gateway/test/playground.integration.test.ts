import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GATEWAY_ERROR_CODES } from '@intellicore/llm-core';
import { type FakeOllama, startFakeOllama } from '@intellicore/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProcedureDoc } from '../src/playground/docs.js';
import { startTestGateway, type TestGateway } from '../src/testing.js';

// The gateway serving a built playground at `/` (PLAYGROUND_DIR) and its API reference at
// /docs.json, over real HTTP.
let fake: FakeOllama;
let gw: TestGateway;
let root: string;
const INDEX = '<!doctype html><title>playground</title><div id="root"></div>';

/** Raw request: fetch would normalise `..` and percent-escapes away before sending. */
function rawGet(path: string, headers: Record<string, string> = {}) {
  const url = new URL(gw.url);
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      const req = request(
        { host: url.hostname, port: url.port, path, method: 'GET', headers },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => {
            body += c;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        },
      );
      req.on('error', reject);
      req.end();
    },
  );
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'playground-'));
  const dist = join(root, 'dist');
  mkdirSync(join(dist, 'assets'), { recursive: true });
  mkdirSync(join(dist, 'api'), { recursive: true });
  writeFileSync(join(dist, 'index.html'), INDEX);
  writeFileSync(join(dist, 'assets', 'app-3f9a1c.js'), 'console.log("app");');
  writeFileSync(join(dist, 'assets', 'app-3f9a1c.css'), 'body{}');
  writeFileSync(join(dist, '.env'), 'SECRET=1');
  writeFileSync(join(dist, 'api', 'tags'), 'a file must never shadow the API');
  writeFileSync(join(root, 'secret.txt'), 'outside the root');
  symlinkSync(join(root, 'secret.txt'), join(dist, 'link.txt'));
  fake = await startFakeOllama();
  gw = await startTestGateway({ ollamaUrl: fake.url, env: { PLAYGROUND_DIR: dist } });
});

afterAll(async () => {
  await gw?.close();
  await fake?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('static playground files', () => {
  it('serves index.html at / and for page paths (SPA fallback), revalidated on every load', async () => {
    for (const path of ['/', '/templates', '/models/llama3.2', '/index.html']) {
      const res = await fetch(`${gw.url}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(await res.text()).toBe(INDEX);
    }
  });

  it('serves hashed assets with their content type, cacheable forever, with ETag revalidation', async () => {
    const js = await fetch(`${gw.url}/assets/app-3f9a1c.js`);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await js.text()).toBe('console.log("app");');
    const css = await fetch(`${gw.url}/assets/app-3f9a1c.css`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    const etag = js.headers.get('etag') ?? '';
    expect(etag).not.toBe('');
    const again = await fetch(`${gw.url}/assets/app-3f9a1c.js`, {
      headers: { 'if-none-match': etag },
    });
    expect(again.status).toBe(304);
    const head = await fetch(`${gw.url}/assets/app-3f9a1c.js`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String('console.log("app");'.length));
  });

  it('answers 404 for a missing asset instead of the app', async () => {
    const res = await fetch(`${gw.url}/assets/missing-123.js`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/json');
  });

  it('never serves outside the root: traversal, encoded traversal, dotfiles, symlinks out', async () => {
    for (const path of [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/assets/..%5c..%5csecret.txt',
      '/.env',
      '/link.txt',
      '/assets/../../link.txt',
      '/%00index.html',
      '/%E0%A4%A.js',
    ]) {
      const res = await rawGet(path);
      expect(res.body, path).not.toContain('outside the root');
      expect(res.body, path).not.toContain('SECRET');
      // Either refused, or (a page-like path such as /.env) answered with the app itself.
      if (res.status !== 404) expect(res.body, path).toBe(INDEX);
    }
  });

  it('leaves the API surfaces alone: files never shadow /api, /trpc, /healthz', async () => {
    const tags = await fetch(`${gw.url}/api/tags`);
    expect(tags.status).toBe(200);
    expect(await tags.json()).toHaveProperty('models');
    expect((await fetch(`${gw.url}/healthz`)).headers.get('content-type')).toContain('json');
    const live = await fetch(`${gw.url}/trpc/health.live`);
    expect(live.status).toBe(200);
    expect((await fetch(`${gw.url}/templates`, { method: 'POST' })).status).toBe(404);
  });
});

describe('GET /docs.json', () => {
  it('describes every tRPC procedure of the router, with JSON Schemas, scope and error codes', async () => {
    const res = await fetch(`${gw.url}/docs.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const docs = (await res.json()) as { procedures: ProcedureDoc[]; errorCodes: string[] };
    const paths = Object.keys(gw.gateway.router._def.procedures).sort();
    expect(docs.procedures.map((p) => p.path)).toEqual(paths);
    expect(docs.errorCodes).toEqual([...GATEWAY_ERROR_CODES]);
    const byPath = new Map(docs.procedures.map((p) => [p.path, p]));

    expect(byPath.get('health.live')).toMatchObject({
      type: 'query',
      scope: 'public',
      input: null,
    });
    expect(byPath.get('models.list')).toMatchObject({ type: 'query', scope: 'user' });
    expect(byPath.get('models.delete')).toMatchObject({ type: 'mutation', scope: 'admin' });
    expect(byPath.get('models.pull')).toMatchObject({ type: 'subscription', scope: 'admin' });
    const completion = byPath.get('chat.completion') as ProcedureDoc & {
      input: { properties: Record<string, unknown>; required: string[] };
      output: { properties: Record<string, unknown> };
    };
    expect(completion.input.required).toContain('messages');
    expect(Object.keys(completion.output.properties)).toEqual(
      expect.arrayContaining(['message', 'usage', 'timings']),
    );
    expect(completion.errors).toEqual(
      expect.arrayContaining(['BAD_REQUEST', 'UNAUTHORIZED', 'MODEL_NOT_ALLOWED']),
    );
    expect(byPath.get('templates.render')?.errors).toEqual(
      expect.arrayContaining(['TEMPLATE_NOT_FOUND', 'MISSING_VARIABLES']),
    );
    expect(byPath.get('chat.stream')?.errors).toContain('STREAM_INTERRUPTED');

    for (const p of docs.procedures) {
      // Every subscription documents its event schema; every other procedure its output.
      expect(p.output, p.path).not.toBeNull();
      expect(p.errors.every((c) => (GATEWAY_ERROR_CODES as readonly string[]).includes(c))).toBe(
        true,
      );
      if (p.scope === 'admin') expect(p.errors, p.path).toContain('FORBIDDEN');
      if (p.scope !== 'public') expect(p.errors, p.path).toContain('UNAUTHORIZED');
      // Every procedure says what it does.
      expect(p.description, p.path).toMatch(/^\S.{15,}/);
    }
    // Field texts come from the zod schemas' .describe().
    const messages = completion.input.properties.messages as { description?: string };
    expect(messages.description).toMatch(/conversation/);
    const timings = completion.output.properties.timings as {
      properties: Record<string, { description?: string }>;
    };
    expect(timings.properties.ttftMs?.description).toBe('Time to the first token, when known.');
    const catalogue = byPath.get('models.list')?.output as {
      items: { properties: Record<string, { description?: string }> };
    };
    expect(catalogue.items.properties.loadedOn?.description).toMatch(/loaded in memory/);
  });
});

describe('PLAYGROUND_DIR', () => {
  it('defaults to the built apps/playground/dist when it exists; `off` serves no files', async () => {
    const { loadConfig } = await import('../src/config.js');
    const built = join(import.meta.dirname, '..', '..', 'playground', 'dist');
    const hasBuild = (await import('node:fs')).existsSync(join(built, 'index.html'));
    expect(loadConfig({}).playgroundDir).toBe(hasBuild ? built : null);
    expect(loadConfig({ PLAYGROUND_DIR: 'off' }).playgroundDir).toBeNull();

    const off = await startTestGateway({ env: { PLAYGROUND_DIR: 'off' } });
    try {
      expect(await (await fetch(`${off.url}/`)).text()).toBe('intelliCore LLM Gateway is running');
      expect((await fetch(`${off.url}/templates`)).status).toBe(404);
      expect((await fetch(`${off.url}/docs.json`)).status).toBe(200);
    } finally {
      await off.close();
    }
  });
});
