import { request } from 'node:http';
import { Ollama } from 'ollama';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FakeOllama,
  type JournalEntry,
  QUEUE_FULL_MESSAGE,
  startFakeOllama,
} from '../src/fake-ollama/index.js';

let fake: FakeOllama;
let ollama: Ollama;
beforeAll(async () => {
  fake = await startFakeOllama();
  ollama = new Ollama({ host: fake.url });
});
afterAll(() => fake.close());

const control = (method: string, path: string, body?: unknown) =>
  fetch(`${fake.url}/__control/${path}`, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
  });

describe('fake Ollama control endpoint and journal', () => {
  it('sets, lists and clears faults over HTTP', async () => {
    const set = await control('POST', 'faults', {
      path: '/api/tags',
      failStatus: 500,
      failBody: { error: 'x' },
    });
    expect(set.status).toBe(200);
    const { id } = await set.json();
    expect(await (await control('GET', 'faults')).json()).toEqual([
      expect.objectContaining({ id, failStatus: 500 }),
    ]);
    await expect(ollama.list()).rejects.toMatchObject({ status_code: 500, error: 'x' });
    expect((await control('DELETE', 'faults')).status).toBe(204);
    await expect(ollama.list()).resolves.toBeDefined();
    expect((await control('POST', 'faults', [1])).status).toBe(400);
  });

  it('replaces the model list and the loaded set; the change shows in tags, ps and 404s', async () => {
    const put = await control('PUT', 'models', [
      { name: 'only-one', family: 'gemma' },
      { name: 'other:7b' },
    ]);
    expect(put.status).toBe(204);
    expect((await ollama.list()).models.map((m) => m.name)).toEqual([
      'only-one:latest',
      'other:7b',
    ]);
    await expect(ollama.chat({ model: 'llama3.2', messages: [] })).rejects.toMatchObject({
      status_code: 404,
    });
    expect((await control('PUT', 'loaded', ['other:7b', 'not-a-model'])).status).toBe(204);
    expect((await ollama.ps()).models.map((m) => m.name)).toEqual(['other:7b']);
    expect((await control('PUT', 'loaded', { names: [] })).status).toBe(204);
    expect((await ollama.ps()).models).toEqual([]);
    fake.setModels([{ name: 'llama3.2' }]);
    expect((await ollama.list()).models.map((m) => m.name)).toEqual(['llama3.2:latest']);
    expect((await control('PUT', 'models', { name: 'x' })).status).toBe(400);
  });

  it('journals requests (not control calls) with body, model, status and timing', async () => {
    fake.setModels([{ name: 'llama3.2' }]);
    fake.journal.clear();
    await ollama.chat({ model: 'llama3.2', messages: [{ role: 'user', content: 'hi' }] });
    await ollama.list();
    const over = (await (await control('GET', 'journal')).json()) as JournalEntry[];
    const local = fake.journal.entries();
    expect(over.map((e) => e.path)).toEqual(['/api/chat', '/api/tags']);
    expect(local.map((e) => e.id)).toEqual(over.map((e) => e.id));
    const chat = local[0]!;
    expect(chat).toMatchObject({
      method: 'POST',
      model: 'llama3.2',
      status: 200,
      clientClosed: false,
    });
    expect(chat.body).toMatchObject({ stream: false, messages: [{ role: 'user', content: 'hi' }] });
    expect(chat.headers['user-agent']).toMatch(/^ollama-js/);
    expect(chat.finishedAt).toBeGreaterThanOrEqual(chat.startedAt);
    expect((await control('DELETE', 'journal')).status).toBe(204);
    expect(fake.journal.entries()).toEqual([]);
  });

  it('waitFor resolves on a future entry and times out with a clear error', async () => {
    const waiting = fake.journal.waitFor(
      (e) => e.path === '/api/version' && e.finishedAt !== undefined,
      2000,
    );
    await ollama.version();
    expect((await waiting).status).toBe(200);
    await expect(fake.journal.waitFor((e) => e.path === '/never', 30)).rejects.toThrow(
      /within 30 ms/,
    );
  });

  it('keeps only the newest entries and can be switched off', async () => {
    const small = await startFakeOllama({ journalLimit: 3 });
    const off = await startFakeOllama({ journal: false });
    try {
      for (let i = 0; i < 5; i++) await fetch(`${small.url}/api/version?i=${i}`);
      expect(small.journal.entries().map((e) => e.id)).toEqual([3, 4, 5]);
      await fetch(`${off.url}/api/version`);
      expect(off.journal.entries()).toEqual([]);
    } finally {
      await Promise.all([small.close(), off.close()]);
    }
  });

  it('answers unknown routes like Ollama (404 text) and HEAD like GET', async () => {
    const res = await fetch(`${fake.url}/api/nothing`);
    expect([res.status, await res.text()]).toEqual([404, '404 page not found']);
    const head = await fetch(`${fake.url}/`, { method: 'HEAD' });
    expect(head.status).toBe(200);
  });
});

describe('fake Ollama Host-header check', () => {
  const get = (url: string, host: string) =>
    new Promise<number>((resolve, reject) => {
      const req = request(`${url}/api/version`, { headers: { host } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });

  it('answers 403 to a public Host header like Ollama on loopback, unless switched off', async () => {
    expect(await get(fake.url, 'localhost:11434')).toBe(200);
    expect(await get(fake.url, '192.168.1.20')).toBe(200);
    expect(await get(fake.url, 'ollama.internal')).toBe(200);
    expect(await get(fake.url, 'api.example.com')).toBe(403);
    const open = await startFakeOllama({ hostCheck: false });
    try {
      expect(await get(open.url, 'api.example.com')).toBe(200);
    } finally {
      await open.close();
    }
  });
});

describe('fake Ollama maxQueue and stats', () => {
  it('answers 503 beyond maxQueue inference requests in flight and counts concurrency', async () => {
    const own = await startFakeOllama({ maxQueue: 2 });
    try {
      own.faults.set({ path: '/api/chat', neverAnswer: true });
      const ac = new AbortController();
      const chat = () =>
        fetch(`${own.url}/api/chat`, {
          method: 'POST',
          body: JSON.stringify({ model: 'llama3.2', messages: [{ role: 'user', content: 'x' }] }),
          signal: ac.signal,
        });
      const hanging = [chat(), chat()];
      await own.journal.waitFor((e) => e.id === 2 && e.model !== undefined, 2000);
      expect(own.stats()).toMatchObject({ inFlight: 2, requests: 2 });
      const third = await chat();
      expect([third.status, await third.json()]).toEqual([503, { error: QUEUE_FULL_MESSAGE }]);
      expect((await fetch(`${own.url}/api/tags`)).status).toBe(200);
      ac.abort();
      await Promise.allSettled(hanging);
      await own.journal.waitFor((e) => e.id === 2 && e.clientClosed, 2000);
      await own.journal.waitFor((e) => e.id === 1 && e.clientClosed, 2000);
      expect(own.stats()).toMatchObject({ inFlight: 0, maxInFlight: 3, requests: 4 });
      own.resetStats();
      expect(own.stats()).toEqual({ inFlight: 0, maxInFlight: 0, requests: 0 });
    } finally {
      await own.close();
    }
  });
});
