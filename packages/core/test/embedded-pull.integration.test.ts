import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTinyGguf } from '@intellicore/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createEmbeddedProvider,
  GatewayError,
  type Provider,
  type PullProgress,
} from '../src/index.js';

// Starts a real HTTP server on 127.0.0.1 that serves a generated GGUF file.
const model = buildTinyGguf({ seed: 5 });
const sha = createHash('sha256').update(model).digest('hex');
let server: Server;
let base: string;
let dir: string;
let provider: Provider;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/files/pulled.gguf') {
      res.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-length': model.length,
      });
      // Several writes so progress has several steps.
      const step = Math.ceil(model.length / 8);
      for (let i = 0; i < model.length; i += step) res.write(model.subarray(i, i + step));
      res.end();
    } else if (req.url === '/files/stalls.gguf') {
      // Sends the first half, then nothing: only the caller's abort ends this download.
      res.writeHead(200, { 'content-length': model.length });
      res.write(model.subarray(0, model.length / 2));
    } else if (req.url === '/files/not-a-model.gguf') {
      res.end('this is not a gguf file');
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = await mkdtemp(join(tmpdir(), 'embedded-pull-'));
  provider = createEmbeddedProvider({ modelsDir: join(dir, 'models') });
});

afterAll(async () => {
  await provider?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

async function pullAll(ref: string): Promise<PullProgress[]> {
  const events: PullProgress[] = [];
  for await (const event of provider.pull(ref)) events.push(event);
  return events;
}

async function pullError(ref: string): Promise<GatewayError> {
  const error = await pullAll(ref).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GatewayError);
  return error as GatewayError;
}

describe('pull from an http URL', () => {
  it('downloads with progress, checks the sha256 and serves the model', async () => {
    const events = await pullAll(`${base}/files/pulled.gguf#sha256=${sha}`);
    const downloads = events.filter((e) => e.status === 'downloading');
    expect(downloads.length).toBeGreaterThan(2);
    expect(downloads.every((e) => e.total === model.length)).toBe(true);
    expect(downloads.at(-1)).toMatchObject({ completed: model.length, percent: 100 });
    const completed = downloads.map((e) => e.completed ?? 0);
    expect([...completed].sort((a, b) => a - b)).toEqual(completed);
    expect(events.map((e) => e.status)).toContain('verifying sha256 digest');
    expect(events.at(-1)).toEqual({ status: 'success', digest: `sha256:${sha}` });

    const [listed] = await provider.list();
    expect(listed).toMatchObject({
      name: 'pulled:latest',
      size: model.length,
      digest: `sha256:${sha}`,
    });
    const result = await provider.generate({
      model: 'pulled',
      prompt: 'hi',
      // num_predict is exact on every seed (embedded-provider.test.ts); this checks the pulled file serves.
      options: { num_predict: 2 },
    });
    expect(result.metrics.evalCount).toBe(2);
  }, 20_000);

  it('rejects a checksum mismatch and leaves no file behind', async () => {
    const error = await pullError(`${base}/files/pulled.gguf#sha256=${'0'.repeat(64)}&name=other`);
    expect(error.code).toBe('UPSTREAM_ERROR');
    expect(error.details).toMatchObject({ expected: '0'.repeat(64), actual: sha });
    expect(await readdir(join(dir, 'models'))).toEqual(['pulled.gguf']);
  });

  it('maps a missing file to MODEL_NOT_FOUND and a non-GGUF body to UPSTREAM_ERROR', async () => {
    expect((await pullError(`${base}/files/missing.gguf`)).code).toBe('MODEL_NOT_FOUND');
    const notGguf = await pullError(`${base}/files/not-a-model.gguf`);
    expect(notGguf.code).toBe('UPSTREAM_ERROR');
    expect(notGguf.message).toMatch(/not a GGUF/);
    expect(await readdir(join(dir, 'models'))).toEqual(['pulled.gguf']);
  });

  it('stops a download when the caller aborts, with CANCELLED, and removes the partial file', async () => {
    const controller = new AbortController();
    const seen: PullProgress[] = [];
    const error = await (async () => {
      for await (const event of provider.pull(`${base}/files/stalls.gguf`, {
        signal: controller.signal,
      })) {
        seen.push(event);
        if ((event.completed ?? 0) > 0) controller.abort();
      }
    })().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe('CANCELLED');
    expect(seen.at(-1)?.percent).toBeLessThan(100);
    expect(await readdir(join(dir, 'models'))).toEqual(['pulled.gguf']);
  });

  it('answers UPSTREAM_UNAVAILABLE when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    expect((await pullError(`http://127.0.0.1:${port}/x.gguf`)).code).toBe('UPSTREAM_UNAVAILABLE');
  });
});
