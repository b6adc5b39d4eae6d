// Starts a real fake-Ollama HTTP server on 127.0.0.1: cancellation must reach the upstream.
import diagnostics from 'node:diagnostics_channel';
import { setMaxListeners } from 'node:events';
import { type FakeOllama, startFakeOllama } from '@intellicore/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOllamaProvider } from '../src/providers/ollama/ollama-provider.js';
import type { Provider } from '../src/providers/provider.js';
import { abortListeners, clientSockets, rejection } from './ollama-helpers.js';

let fake: FakeOllama;
let provider: Provider;
const chat = {
  model: 'llama3.2',
  messages: [{ role: 'user' as const, content: 'a b c d e f g h i j' }],
};

beforeAll(async () => {
  fake = await startFakeOllama();
  provider = createOllamaProvider({ url: fake.url, timeoutMs: 10_000 });
});
afterAll(async () => {
  await provider.close();
  await fake.close();
});
beforeEach(() => {
  fake.faults.clear();
  fake.journal.clear();
});

/** ms between the caller's abort and the upstream seeing its connection closed. */
async function closedAfter(abortedAt: number): Promise<number> {
  const entry = await fake.journal.waitFor((e) => e.clientClosed, 2_000);
  return (entry.closedAt ?? Number.POSITIVE_INFINITY) - abortedAt;
}

// Each stream below would run for seconds more, each header wait 5 s: the upstream's connection
// closing within PROMPT_MS of the abort is the cancellation, with room for a loaded 2-core CI.
const PROMPT_MS = 1_000;

describe('cancellation reaches the upstream at once', () => {
  it('stream: caller abort mid-stream', async () => {
    fake.faults.set({ path: '/api/chat', chunkDelayMs: 400 });
    const controller = new AbortController();
    let abortedAt = 0;
    const error = await rejection(
      (async () => {
        for await (const _ of provider.chatStream(chat, { signal: controller.signal })) {
          abortedAt = Date.now();
          controller.abort();
        }
      })(),
    );
    expect(error.code).toBe('CANCELLED');
    expect(await closedAfter(abortedAt)).toBeLessThan(PROMPT_MS);
  });

  it('stream: consumer break (no signal at all) closes the request', async () => {
    fake.faults.set({ path: '/api/chat', chunkDelayMs: 400 });
    let brokeAt = 0;
    for await (const _ of provider.chatStream(chat)) {
      brokeAt = Date.now();
      break;
    }
    expect(await closedAfter(brokeAt)).toBeLessThan(PROMPT_MS);
  });

  it('non-stream: abort while the aggregated answer is being produced', async () => {
    fake.faults.set({ path: '/api/chat', chunkDelayMs: 400 });
    const controller = new AbortController();
    const pending = provider.chat(chat, { signal: controller.signal });
    await fake.journal.waitFor((e) => e.path === '/api/chat', 2_000);
    await new Promise((r) => setTimeout(r, 500));
    const abortedAt = Date.now();
    controller.abort();
    expect((await rejection(pending)).code).toBe('CANCELLED');
    expect(await closedAfter(abortedAt)).toBeLessThan(PROMPT_MS);
  });

  for (const kind of ['stream', 'non-stream', 'embed'] as const) {
    it(`${kind}: abort while waiting for headers`, async () => {
      fake.faults.set({ delayBeforeHeadersMs: 5_000 });
      const controller = new AbortController();
      const pending =
        kind === 'stream'
          ? (async () => {
              for await (const _ of provider.chatStream(chat, { signal: controller.signal })) {
                // nothing arrives
              }
            })()
          : kind === 'embed'
            ? provider.embed(
                { model: 'nomic-embed-text', input: 'x' },
                { signal: controller.signal },
              )
            : provider.chat(chat, { signal: controller.signal });
      await fake.journal.waitFor(() => true, 2_000);
      const abortedAt = Date.now();
      controller.abort();
      expect((await rejection(pending)).code).toBe('CANCELLED');
      expect(await closedAfter(abortedAt)).toBeLessThan(PROMPT_MS);
    });
  }
});

describe('resources', () => {
  it('1,000 aborted streams leave no open sockets and no abort listeners', async () => {
    fake.faults.set({ path: '/api/chat', chunkDelayMs: 5 });
    const baseline = clientSockets();
    const shared = new AbortController(); // a long-lived signal many requests hang off
    setMaxListeners(100, shared.signal);
    const run = async () => {
      const own = new AbortController();
      const onShared = () => own.abort();
      shared.signal.addEventListener('abort', onShared);
      try {
        for await (const _ of provider.chatStream(chat, { signal: own.signal })) own.abort();
      } catch (error) {
        expect((error as { code?: string }).code).toBe('CANCELLED');
      } finally {
        shared.signal.removeEventListener('abort', onShared);
      }
      return own.signal;
    };
    const broken = async () => {
      // the other way out: the consumer breaks, the long-lived signal stays un-aborted
      for await (const _ of provider.chatStream(chat, { signal: shared.signal })) break;
    };
    for (let i = 0; i < 20; i++) {
      const signals = await Promise.all(Array.from({ length: 25 }, run));
      await Promise.all(Array.from({ length: 25 }, broken));
      for (const s of signals) expect(abortListeners(s)).toBe(0);
    }
    expect(abortListeners(shared.signal)).toBe(0);
    await expect
      .poll(
        () =>
          fake.journal
            .entries()
            .filter((e) => e.path === '/api/chat' && !e.clientClosed && !e.finishedAt).length,
      )
      .toBe(0);
    expect(fake.journal.entries().filter((e) => e.clientClosed)).toHaveLength(1_000);
    await expect.poll(() => clientSockets(), { timeout: 2_000 }).toBeLessThanOrEqual(baseline + 1);
  }, 60_000);

  it('completed requests reuse one keep-alive connection', async () => {
    const connects: unknown[] = [];
    const onConnect = (message: unknown) => connects.push(message);
    const fresh = createOllamaProvider({ url: fake.url, timeoutMs: 5_000 });
    diagnostics.subscribe('undici:client:connected', onConnect);
    try {
      for (let i = 0; i < 10; i++) {
        await fresh.chat(chat);
        for await (const _ of fresh.chatStream(chat)) {
          // read to the end
        }
        await fresh.embed({ model: 'nomic-embed-text', input: 'x' });
        await fresh.list();
        await fresh.show('no-such-model').catch(() => {});
      }
    } finally {
      diagnostics.unsubscribe('undici:client:connected', onConnect);
    }
    // 50 requests; undici may alternate between two idle sockets, but never opens one per request.
    expect(connects.length).toBeLessThanOrEqual(2);
  });
});
