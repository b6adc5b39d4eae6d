import { Ollama } from 'ollama';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type FakeOllama, QUEUE_FULL_MESSAGE, startFakeOllama } from '../src/fake-ollama/index.js';

let fake: FakeOllama;
let ollama: Ollama;
beforeAll(async () => {
  fake = await startFakeOllama();
  ollama = new Ollama({ host: fake.url });
});
afterEach(() => {
  fake.faults.clear();
  fake.journal.clear();
});
afterAll(() => fake.close());

const messages = [{ role: 'user', content: 'one two three four five six' }];
const chatBody = (extra: object = {}) => JSON.stringify({ model: 'llama3.2', messages, ...extra });
const rawChat = (init: RequestInit = {}) =>
  fetch(`${fake.url}/api/chat`, { method: 'POST', body: chatBody(), ...init });

async function collect(stream: AsyncIterable<{ message: { content: string } }>) {
  const got: string[] = [];
  try {
    for await (const part of stream) got.push(part.message.content);
  } catch (err) {
    return { got, error: err as Error };
  }
  return { got, error: undefined };
}
const timeouts = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('fake Ollama fault knobs', () => {
  it('fails before headers with a given status and body', async () => {
    fake.faults.set({ path: '/api/chat', failStatus: 500, failBody: { error: 'boom' } });
    await expect(ollama.chat({ model: 'llama3.2', messages })).rejects.toMatchObject({
      status_code: 500,
      error: 'boom',
    });
    fake.faults.set({ path: '/api/chat', failStatus: 502, failBody: 'Bad Gateway' });
    const res = await rawChat();
    expect([res.status, res.headers.get('content-type'), await res.text()]).toEqual([
      502,
      'text/plain; charset=utf-8',
      'Bad Gateway',
    ]);
  });

  it('inputContains faults only the requests whose input has that text', async () => {
    fake.faults.set({ failStatus: 500, failBody: { error: 'poisoned' }, inputContains: 'POISON' });
    const poisoned = [{ role: 'user', content: 'a POISON pill' }];
    await expect(ollama.chat({ model: 'llama3.2', messages: poisoned })).rejects.toMatchObject({
      status_code: 500,
      error: 'poisoned',
    });
    await expect(ollama.generate({ model: 'llama3.2', prompt: 'POISON' })).rejects.toMatchObject({
      status_code: 500,
    });
    await expect(
      ollama.embed({ model: 'nomic-embed-text', input: ['ok', 'POISON'] }),
    ).rejects.toMatchObject({ status_code: 500 });
    const clean = await ollama.chat({ model: 'llama3.2', messages });
    expect(clean.done).toBe(true);
    expect(fake.faults.list()).toHaveLength(1);
  });

  it('resets the connection before any byte', async () => {
    fake.faults.set({ path: '/api/chat', resetConnection: true, times: 1 });
    const error = await rawChat().then(
      () => undefined,
      (e: unknown) => e as Error & { cause?: { code?: string } },
    );
    expect(error?.cause?.code).toBe('ECONNRESET');
    expect((await rawChat()).status).toBe(200);
  });

  it('answers 503 queue full with Ollama message', async () => {
    fake.faults.set({ queueFull: true });
    await expect(ollama.embed({ model: 'nomic-embed-text', input: 'x' })).rejects.toMatchObject({
      status_code: 503,
      error: QUEUE_FULL_MESSAGE,
    });
  });

  it('ends a 200 stream with an {"error"} line after N chunks', async () => {
    fake.faults.set({ errorAfterChunks: 2, errorMessage: 'out of memory' });
    const { got, error } = await collect(
      await ollama.chat({ model: 'llama3.2', messages, stream: true }),
    );
    expect(got).toHaveLength(2);
    expect(error?.message).toBe('out of memory');
    const res = await rawChat();
    expect(res.status).toBe(200);
    const lines = (await res.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(lines[2]).toEqual({ error: 'out of memory' });
    const whole = await fetch(`${fake.url}/api/chat`, {
      method: 'POST',
      body: chatBody({ stream: false }),
    });
    expect([whole.status, await whole.json()]).toEqual([500, { error: 'out of memory' }]);
  });

  it('drops the connection after N chunks: the stream breaks without done', async () => {
    fake.faults.set({ dropAfterChunks: 2 });
    const { got, error } = await collect(
      await ollama.chat({ model: 'llama3.2', messages, stream: true }),
    );
    expect(got).toHaveLength(2);
    expect(error).toBeInstanceOf(Error);
    const res = await rawChat();
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
    // The server cut it, not the client: the journal must not blame the client.
    const entries = fake.journal.entries();
    expect(entries).toHaveLength(2);
    expect(entries.every((e) => !e.clientClosed && e.finishedAt === undefined)).toBe(true);
  });

  it('ends the stream cleanly but without done after N chunks', async () => {
    fake.faults.set({ endAfterChunks: 1 });
    const { got, error } = await collect(
      await ollama.chat({ model: 'llama3.2', messages, stream: true }),
    );
    expect(got).toHaveLength(1);
    expect(error?.message).toBe('Did not receive done or success response in stream.');
  });

  it('writes one malformed line after N chunks and then goes on', async () => {
    fake.faults.set({ malformedLineAfterChunks: 1, times: 1 });
    const lines = (await (await rawChat()).text()).trim().split('\n');
    expect(() => JSON.parse(lines[1]!)).toThrow();
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ done: true });
    expect(lines.filter((l) => l.startsWith('{"model":"llama3.2"'))).toHaveLength(lines.length - 1);
  });

  it('never answers; a client abort ends it and is journaled as clientClosed', async () => {
    fake.faults.set({ neverAnswer: true });
    const before = timeouts();
    const ac = new AbortController();
    const pending = rawChat({ signal: ac.signal });
    await fake.journal.waitFor((e) => e.model === 'llama3.2', 2000);
    const abortedAt = Date.now();
    ac.abort();
    await expect(pending).rejects.toThrow();
    const entry = await fake.journal.waitFor((e) => e.clientClosed, 2000);
    expect(entry.closedAt! - abortedAt).toBeLessThan(1000);
    expect(entry.finishedAt).toBeUndefined();
    expect(entry.status).toBeUndefined();
    expect(timeouts()).toBeLessThanOrEqual(before);
  });

  it('delays headers and chunks, and a client leaving mid-delay clears the timer', async () => {
    fake.faults.set({ delayBeforeHeadersMs: 120, chunkDelayMs: 20, times: 1 });
    const t0 = Date.now();
    const res = await rawChat();
    const headersAfter = Date.now() - t0;
    await res.text();
    expect(headersAfter).toBeGreaterThanOrEqual(110);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(110 + 6 * 20);

    fake.faults.set({ delayBeforeHeadersMs: 60_000 });
    const before = timeouts();
    const lastId = fake.journal.entries().at(-1)?.id ?? 0;
    const ac = new AbortController();
    const pending = rawChat({ signal: ac.signal });
    // By id, not by time: the first request may itself start late on a loaded machine.
    await fake.journal.waitFor((e) => e.id > lastId && e.model === 'llama3.2', 2000);
    expect(timeouts()).toBeGreaterThan(before);
    ac.abort();
    await expect(pending).rejects.toThrow();
    await fake.journal.waitFor((e) => e.clientClosed, 2000);
    expect(timeouts()).toBeLessThanOrEqual(before);
  });

  it('journals a client that aborts mid-stream (ollama client abort) and stops writing', async () => {
    fake.faults.set({ chunkDelayMs: 40 });
    const before = timeouts();
    const stream = await ollama.chat({ model: 'llama3.2', messages, stream: true });
    let parts = 0;
    let abortedAt = 0;
    const { error } = await collect(
      (async function* () {
        for await (const part of stream) {
          yield part;
          if (++parts === 2) {
            abortedAt = Date.now();
            stream.abort();
          }
        }
      })(),
    );
    expect(error?.name).toBe('AbortError');
    const entry = await fake.journal.waitFor((e) => e.clientClosed, 2000);
    expect(entry.closedAt! - abortedAt).toBeLessThan(1000);
    expect(entry.finishedAt).toBeUndefined();
    expect(timeouts()).toBeLessThanOrEqual(before);
  });

  it('makes the first use of a cold model slow and reports it in load_duration', async () => {
    fake.setLoaded([]);
    fake.faults.set({ model: 'llama3.2:1b', loadDelayMs: 150 });
    const cold = await ollama.generate({ model: 'llama3.2:1b', prompt: 'hi' });
    expect(cold.load_duration).toBeGreaterThanOrEqual(140e6);
    const warm = await ollama.generate({ model: 'llama3.2:1b', prompt: 'hi' });
    expect(warm.load_duration).toBeLessThan(140e6);
  });

  it('scopes faults by path, model and times', async () => {
    const id = fake.faults.set({
      path: '/api/generate',
      model: 'mistral',
      failStatus: 500,
      times: 2,
    });
    expect(fake.faults.list()).toEqual([
      expect.objectContaining({ id, remaining: 2, model: 'mistral' }),
    ]);
    await expect(ollama.chat({ model: 'mistral', messages })).resolves.toBeDefined();
    await expect(ollama.generate({ model: 'llama3.2', prompt: 'x' })).resolves.toBeDefined();
    await expect(ollama.generate({ model: 'mistral:latest', prompt: 'x' })).rejects.toMatchObject({
      status_code: 500,
    });
    expect(fake.faults.list()[0]?.remaining).toBe(1);
    await expect(ollama.generate({ model: 'mistral', prompt: 'x' })).rejects.toMatchObject({
      status_code: 500,
    });
    expect(fake.faults.list()).toEqual([]);
    await expect(ollama.generate({ model: 'mistral', prompt: 'x' })).resolves.toBeDefined();
  });

  it('applies after-N-chunk knobs to generations only, so polling /api/tags keeps working', async () => {
    fake.faults.set({ dropAfterChunks: 0 });
    await expect(ollama.list()).resolves.toBeDefined();
    await expect(ollama.embed({ model: 'nomic-embed-text', input: 'x' })).resolves.toBeDefined();
    await expect(ollama.generate({ model: 'llama3.2', prompt: 'x' })).rejects.toThrow();
  });

  it('lets the ollama client ignore a malformed line (it warns and skips)', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    fake.faults.set({ malformedLineAfterChunks: 0 });
    const { got, error } = await collect(
      await ollama.chat({ model: 'llama3.2', messages, stream: true }),
    );
    expect(error).toBeUndefined();
    expect(got.join('')).toBe('echo(llama3.2): one two three four five six');
    expect(warn).toHaveBeenCalled();
    warn.mockRestore();
  });
});

describe('fake Ollama close()', () => {
  it('ends requests that never answer and closes every socket', async () => {
    const own = await startFakeOllama();
    own.faults.set({ neverAnswer: true });
    const pending = fetch(`${own.url}/api/tags`);
    const entry = await own.journal.waitFor((e) => e.path === '/api/tags', 2000);
    await own.close();
    await expect(pending).rejects.toThrow();
    expect(entry.clientClosed).toBe(false);
  });
});
