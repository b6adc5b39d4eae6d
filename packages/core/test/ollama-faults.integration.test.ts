// Starts real fake-Ollama HTTP servers on 127.0.0.1: every fault knob → one stable error code.
import {
  type FakeOllama,
  fakeChatReply,
  fakeReplyChunks,
  startFakeOllama,
} from '@intellicore/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GatewayError } from '../src/errors.js';
import { createOllamaProvider } from '../src/providers/ollama/ollama-provider.js';
import type { Provider } from '../src/providers/provider.js';
import { drain, rejection, stallAfterFirstReadFetch } from './ollama-helpers.js';

let fake: FakeOllama;
let provider: Provider;
/** A 300 ms timeout, for faults that last far longer. */
let quick: Provider;
const messages = [{ role: 'user' as const, content: 'alpha beta gamma delta epsilon' }];
const chat = { model: 'llama3.2', messages };
const chunks = fakeReplyChunks(fakeChatReply(messages, 'llama3.2'));

beforeAll(async () => {
  fake = await startFakeOllama();
  // Generous: only the timeout tests below want a timeout, and use their own short one.
  provider = createOllamaProvider({ url: fake.url, timeoutMs: 5_000 });
  quick = createOllamaProvider({ url: fake.url, timeoutMs: 300 });
});
afterAll(async () => {
  await provider.close();
  await quick.close();
  await fake.close();
});
beforeEach(() => {
  fake.faults.clear();
  fake.journal.clear();
});

describe('HTTP status before any byte', () => {
  it('unknown model → MODEL_NOT_FOUND with Ollama message (chat, embed, show, delete)', async () => {
    for (const call of [
      provider.chat({ model: 'nope', messages }),
      provider.embed({ model: 'nope', input: 'x' }),
      provider.show('nope'),
      provider.delete('nope'),
    ]) {
      const error = await rejection(call);
      expect(error).toBeInstanceOf(GatewayError);
      expect(error.code).toBe('MODEL_NOT_FOUND');
      expect(error.message).toBe("model 'nope' not found");
      expect(error.upstream).toBe(provider.id);
    }
  });

  it('queue full (503) → OVERLOADED with retry-after', async () => {
    fake.faults.set({ path: '/api/chat', queueFull: true });
    const error = await rejection(provider.chat(chat));
    expect(error.code).toBe('OVERLOADED');
    expect(error.message).toMatch(/server busy/);
    expect(error.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    const streamed = await drain(provider.chatStream(chat));
    expect(streamed.error?.code).toBe('OVERLOADED');
  });

  it("other 4xx → BAD_REQUEST, a 5xx with Ollama's error body → UPSTREAM_ERROR: its message", async () => {
    fake.faults.set({
      path: '/api/chat',
      failStatus: 400,
      failBody: { error: 'invalid format' },
      times: 1,
    });
    const bad = await rejection(provider.chat(chat));
    expect([bad.code, bad.message]).toEqual(['BAD_REQUEST', 'invalid format']);
    fake.faults.set({
      path: '/api/embed',
      failStatus: 500,
      failBody: { error: 'llama runner process has terminated' },
      times: 1,
    });
    const failed = await rejection(provider.embed({ model: 'nomic-embed-text', input: 'x' }));
    expect([failed.code, failed.message]).toEqual([
      'UPSTREAM_ERROR',
      'llama runner process has terminated',
    ]);
    const typed = await rejection(
      provider.chat({ ...chat, options: { temperature: 'hot' as unknown as number } }),
    );
    expect(typed.code).toBe('UPSTREAM_ERROR');
    expect(typed.message).toMatch(/temperature/);
  });

  it('a 5xx without an error body is the upstream failing, not Ollama answering', async () => {
    // What a reverse proxy answers in front of an Ollama that is down or hangs.
    for (const [status, body, code] of [
      [502, '<html>Bad Gateway</html>', 'UPSTREAM_UNAVAILABLE'],
      [500, '', 'UPSTREAM_UNAVAILABLE'],
      [504, 'Gateway Timeout', 'UPSTREAM_TIMEOUT'],
    ] as const) {
      fake.faults.set({ path: '/api/chat', failStatus: status, failBody: body, times: 1 });
      const error = await rejection(provider.chat(chat));
      expect(error.code).toBe(code);
      expect(error.message).toMatch(
        new RegExp(`^Upstream answered ${status} without an error body`),
      );
      expect(error.upstream).toBe(provider.id);
    }
  });

  it('a 404 without an error body is not a missing model (a path this upstream lacks)', async () => {
    fake.faults.set({
      path: '/api/chat',
      failStatus: 404,
      failBody: '404 page not found',
      times: 1,
    });
    const error = await rejection(provider.chat(chat));
    expect([error.code, error.message]).toEqual([
      'UPSTREAM_ERROR',
      'Upstream answered 404: 404 page not found',
    ]);
  });

  it('nobody listening → UPSTREAM_UNAVAILABLE', async () => {
    const gone = await startFakeOllama();
    const url = gone.url;
    await gone.close();
    const dead = createOllamaProvider({ url, timeoutMs: 1_000 });
    expect((await rejection(dead.chat(chat))).code).toBe('UPSTREAM_UNAVAILABLE');
    expect((await drain(dead.chatStream(chat))).error?.code).toBe('UPSTREAM_UNAVAILABLE');
    expect((await rejection(dead.version())).code).toBe('UPSTREAM_UNAVAILABLE');
    expect((await rejection(dead.list())).code).toBe('UPSTREAM_UNAVAILABLE');
  });
});

describe('timeouts', () => {
  it('headers later than the timeout → UPSTREAM_TIMEOUT (delay, never answering, slow load)', async () => {
    for (const fault of [
      { delayBeforeHeadersMs: 3_000 },
      { neverAnswer: true },
      { loadDelayMs: 3_000 },
    ]) {
      fake.setLoaded([]);
      const id = fake.faults.set({ path: '/api/chat', ...fault });
      const error = await rejection(quick.chat(chat));
      expect(error.code).toBe('UPSTREAM_TIMEOUT');
      fake.faults.clear(id);
    }
    fake.faults.set({ path: '/api/embed', neverAnswer: true });
    expect((await rejection(quick.embed({ model: 'nomic-embed-text', input: 'x' }))).code).toBe(
      'UPSTREAM_TIMEOUT',
    );
  });

  it('a first chunk slower than the timeout → UPSTREAM_TIMEOUT, nothing delivered', async () => {
    fake.faults.set({ path: '/api/chat', chunkDelayMs: 3_000 });
    const { items, error } = await drain(quick.chatStream(chat));
    expect(error?.code).toBe('UPSTREAM_TIMEOUT');
    expect(items).toHaveLength(0);
  });

  it('an upstream that goes silent mid-stream → UPSTREAM_TIMEOUT, text so far delivered', async () => {
    fake.faults.set({ path: '/api/chat', chunkDelayMs: 20 }); // one line per network read
    const stalling = createOllamaProvider({
      url: fake.url,
      timeoutMs: 1_000,
      fetch: stallAfterFirstReadFetch,
    });
    const { items, error } = await drain(stalling.chatStream(chat));
    expect(error?.code).toBe('UPSTREAM_TIMEOUT');
    expect(error?.message).toMatch(/silent/);
    expect(items.map((e) => e.message.content)).toEqual(chunks.slice(0, 1));
    const whole = await rejection(stalling.chat(chat));
    expect(whole.code).toBe('UPSTREAM_TIMEOUT');
    expect(whole.details?.partialText).toBe(chunks[0]);
  });

  it('a long stream whose chunks keep coming is never cut by the timeout', async () => {
    // Gaps of 250 ms under a 1 s timeout; 5+ chunks: the whole stream takes longer than it.
    fake.faults.set({ path: '/api/chat', chunkDelayMs: 250 });
    const steady = createOllamaProvider({ url: fake.url, timeoutMs: 1_000 });
    const started = Date.now();
    const result = await steady.chat(chat).finally(() => steady.close());
    expect(Date.now() - started).toBeGreaterThan(1_000);
    expect(result.message.content).toBe(chunks.join(''));
  });

  it('a slow model load within the timeout succeeds and reports its load duration', async () => {
    fake.setLoaded([]);
    fake.faults.set({ path: '/api/chat', loadDelayMs: 100 });
    const result = await provider.chat(chat);
    expect(result.metrics.loadDuration).toBeGreaterThanOrEqual(90_000_000);
  });
});

describe('streams cut short: STREAM_INTERRUPTED, text so far delivered', () => {
  const cuts = [
    { name: 'an error line', fault: { errorAfterChunks: 2, errorMessage: 'out of memory' } },
    { name: 'a dropped socket', fault: { dropAfterChunks: 2 } },
    { name: 'an end without done', fault: { endAfterChunks: 2 } },
    { name: 'a malformed line', fault: { malformedLineAfterChunks: 2 } },
  ];
  for (const { name, fault } of cuts) {
    it(`${name}: stream keeps its deltas, one result gets details.partialText`, async () => {
      fake.faults.set({ path: '/api/chat', ...fault });
      const { items, error } = await drain(provider.chatStream(chat));
      expect(error?.code).toBe('STREAM_INTERRUPTED');
      expect(items.map((e) => e.message.content)).toEqual(chunks.slice(0, 2));
      const whole = await rejection(provider.chat(chat));
      expect(whole.code).toBe('STREAM_INTERRUPTED');
      expect(whole.details?.partialText).toBe(chunks.slice(0, 2).join(''));
      if ('errorMessage' in fault) expect(whole.message).toMatch(/out of memory/);
    });
  }

  it('generate streams are typed the same way', async () => {
    fake.faults.set({ path: '/api/generate', errorAfterChunks: 1 });
    const error = await rejection(
      provider.generate({ model: 'llama3.2', prompt: 'one two three' }),
    );
    expect(error.code).toBe('STREAM_INTERRUPTED');
    expect(typeof error.details?.partialText).toBe('string');
  });

  it('pull of a model the registry lacks → MODEL_NOT_FOUND after the first progress line', async () => {
    const { items, error } = await drain(provider.pull('missing-model'));
    expect(items.map((p) => p.status)).toEqual(['pulling manifest']);
    expect(error?.code).toBe('MODEL_NOT_FOUND');
    fake.faults.set({ path: '/api/pull', dropAfterChunks: 2 });
    expect((await drain(provider.pull('other-model'))).error?.code).toBe('STREAM_INTERRUPTED');
  });
});

describe('caller abort', () => {
  it('→ CANCELLED before, during and after headers; never another code', async () => {
    const before = new AbortController();
    before.abort();
    expect((await rejection(provider.chat(chat, { signal: before.signal }))).code).toBe(
      'CANCELLED',
    );
    fake.faults.set({ path: '/api/chat', delayBeforeHeadersMs: 200, times: 1 });
    const waiting = new AbortController();
    setTimeout(() => waiting.abort(), 20);
    expect((await rejection(provider.chat(chat, { signal: waiting.signal }))).code).toBe(
      'CANCELLED',
    );
    fake.faults.set({ path: '/api/chat', chunkDelayMs: 50, times: 1 });
    const streaming = new AbortController();
    const { items, error } = await drain(
      (async function* () {
        for await (const e of provider.chatStream(chat, { signal: streaming.signal })) {
          yield e;
          streaming.abort();
        }
      })(),
    );
    expect(items).toHaveLength(1);
    expect(error?.code).toBe('CANCELLED');
  });
});
