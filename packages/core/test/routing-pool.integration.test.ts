// Starts three real fake-Ollama HTTP servers on 127.0.0.1 behind one upstream pool.
import { type FakeOllama, startFakeOllama } from '@intellicore/testkit';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOllamaProvider } from '../src/providers/ollama/ollama-provider.js';
import { routedStream } from '../src/routing/routed-call.js';
import {
  createUpstreamPool,
  type UpstreamPool,
  type UpstreamPoolOptions,
} from '../src/routing/upstream-pool.js';
import { aggregateChat } from '../src/streams/aggregate.js';
import { drain, rejection } from './ollama-helpers.js';

let fakes: FakeOllama[] = [];
let pool: UpstreamPool | undefined;
const messages = [{ role: 'user' as const, content: 'hello router' }];

beforeAll(async () => {
  fakes = await Promise.all([startFakeOllama(), startFakeOllama(), startFakeOllama()]);
});
afterAll(async () => {
  await Promise.all(fakes.map((f) => f.close()));
});
beforeEach(() => {
  for (const f of fakes) {
    f.faults.clear();
    f.journal.clear();
    f.setLoaded([]);
  }
});
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

function makePool(
  options: Partial<UpstreamPoolOptions> = {},
  urls = fakes.map((f) => f.url),
): UpstreamPool {
  pool = createUpstreamPool({
    upstreams: urls.map((url) => createOllamaProvider({ url, timeoutMs: 2_000 })),
    healthIntervalMs: 60_000,
    ...options,
  });
  return pool;
}

/** One routed chat: the upstream that answered, or the error. */
async function routedChat(p: UpstreamPool, model = 'llama3.2', signal?: AbortSignal) {
  let upstream = '';
  const result = await aggregateChat(
    routedStream(p, model, (provider) => provider.chatStream({ model, messages }, { signal }), {
      signal,
      onUpstream: (id) => {
        upstream = id;
      },
    }),
  );
  return { upstream, result };
}

const chatCount = (f: FakeOllama) =>
  f.journal.entries().filter((e) => e.path === '/api/chat').length;

function expectEven(counts: number[], total: number) {
  const share = total / counts.length;
  for (const c of counts) expect(Math.abs(c - share)).toBeLessThanOrEqual(share * 0.1);
}

describe('load balancing', () => {
  it('three upstreams share sequential and concurrent load evenly (within 10%)', async () => {
    for (const f of fakes) f.setLoaded(['llama3.2']);
    const p = makePool();
    for (let i = 0; i < 150; i++) await routedChat(p);
    expectEven(fakes.map(chatCount), 150);
    for (const f of fakes) f.journal.clear();
    for (const f of fakes) f.faults.set({ path: '/api/chat', chunkDelayMs: 2 });
    for (let round = 0; round < 10; round++)
      await Promise.all(Array.from({ length: 15 }, () => routedChat(p)));
    expectEven(fakes.map(chatCount), 150);
  });

  it('a model loaded on one upstream routes there', async () => {
    fakes[1]?.setLoaded(['mistral']);
    const p = makePool();
    const served = new Set<string>();
    for (let i = 0; i < 12; i++) served.add((await routedChat(p, 'mistral')).upstream);
    expect([...served]).toEqual([`ollama:${fakes[1]?.url}`]);
    expect(p.catalogue().find((m) => m.name === 'mistral:latest')?.loadedOn).toEqual([
      `ollama:${fakes[1]?.url}`,
    ]);
  });

  it('the catalogue is the union of what healthy upstreams have, with who has what', async () => {
    fakes[0]?.setModels([{ name: 'only-here:1b' }, { name: 'llama3.2:latest' }]);
    try {
      const p = makePool();
      await p.ready();
      const catalogue = p.catalogue();
      expect(catalogue.find((m) => m.name === 'only-here:1b')?.upstreams).toEqual([
        `ollama:${fakes[0]?.url}`,
      ]);
      expect(catalogue.find((m) => m.name === 'llama3.2:latest')?.upstreams).toHaveLength(3);
      expect(catalogue.find((m) => m.name === 'mistral:latest')?.upstreams).toHaveLength(2);
      const { upstream } = await routedChat(p, 'only-here:1b');
      expect(upstream).toBe(`ollama:${fakes[0]?.url}`);
      expect((await rejection(routedChat(p, 'nowhere'))).code).toBe('MODEL_NOT_FOUND');
    } finally {
      fakes[0]?.setModels([
        { name: 'llama3.2:latest' },
        { name: 'llama3.2:1b' },
        { name: 'mistral:latest' },
        { name: 'nomic-embed-text:latest', embeddingDims: 16 },
      ]);
    }
  });
});

describe('failures', () => {
  it('a dead upstream is ejected while traffic continues without errors', async () => {
    const doomed = await startFakeOllama();
    const p = makePool({ coolDownMs: 60_000 }, [fakes[0]!.url, fakes[1]!.url, doomed.url]);
    await p.ready();
    let dead = false;
    let sent = 0;
    const failures: string[] = [];
    const worker = async () => {
      while (sent < 120) {
        sent++;
        if (sent === 40) void doomed.close().then(() => (dead = true));
        const startedAfterDeath = dead;
        await routedChat(p).catch((e: { code: string }) => {
          // Only a stream cut by the death itself may fail (it is never replayed).
          if (startedAfterDeath || e.code !== 'STREAM_INTERRUPTED') failures.push(e.code);
        });
      }
    };
    await Promise.all(Array.from({ length: 4 }, worker));
    expect(dead).toBe(true);
    expect(failures).toEqual([]);
    const health = p.health().find((h) => h.id === `ollama:${doomed.url}`);
    expect(health?.healthy).toBe(false);
    expect(health?.lastError).toMatch(/unreachable/);
    expect(p.catalogue().every((m) => !m.upstreams.includes(`ollama:${doomed.url}`))).toBe(true);
    const before = fakes.slice(0, 2).map(chatCount);
    for (let i = 0; i < 10; i++) await routedChat(p);
    const after = fakes.slice(0, 2).map(chatCount);
    expect((after[0] ?? 0) + (after[1] ?? 0) - (before[0] ?? 0) - (before[1] ?? 0)).toBe(10);
  });

  it('an ejected upstream is cooled down and probed back', async () => {
    const p = makePool({ coolDownMs: 50, maxCoolDownMs: 50 }, [fakes[0]!.url]);
    fakes[0]?.faults.set({ path: '/api/version', failStatus: 500 });
    await p.ready();
    expect(p.health()[0]?.healthy).toBe(false);
    expect((await rejection(routedChat(p))).code).toBe('UPSTREAM_UNAVAILABLE');
    fakes[0]?.faults.clear();
    await expect.poll(() => p.health()[0]?.healthy, { timeout: 2_000 }).toBe(true);
    expect((await routedChat(p)).result.done).toBe(true);
  });

  it("repeated failures of the upstream's own (a bare 502 of a proxy) eject it; traffic moves on", async () => {
    const p = makePool({ failureThreshold: 3, coolDownMs: 60_000 }, [fakes[0]!.url, fakes[1]!.url]);
    fakes[0]?.faults.set({ path: '/api/chat', failStatus: 502, failBody: 'Bad Gateway' });
    for (let i = 0; i < 8; i++)
      expect((await routedChat(p)).upstream).toBe(`ollama:${fakes[1]?.url}`);
    expect(chatCount(fakes[0]!)).toBe(3);
    expect(p.health()[0]).toMatchObject({
      healthy: false,
      lastError: 'Upstream answered 502 without an error body: Bad Gateway',
    });
  });

  it('fails over before the first byte (503, a bare 5xx, unknown model on a stale upstream)', async () => {
    const p = makePool({}, [fakes[0]!.url, fakes[1]!.url]);
    fakes[0]?.faults.set({ path: '/api/chat', queueFull: true });
    for (let i = 0; i < 6; i++)
      expect((await routedChat(p)).upstream).toBe(`ollama:${fakes[1]?.url}`);
    expect(chatCount(fakes[0]!)).toBeGreaterThan(0);
    fakes[0]?.faults.clear();
    fakes[0]?.faults.set({ path: '/api/chat', failStatus: 500, failBody: '', times: 1 });
    fakes[1]?.faults.set({ path: '/api/chat', failStatus: 500, failBody: '', times: 1 });
    const both = await rejection(routedChat(p));
    // Each tried once; the last failure is the answer, saying when to retry.
    expect([both.code, both.message]).toEqual([
      'UPSTREAM_UNAVAILABLE',
      'Upstream answered 500 without an error body: HTTP 500 Internal Server Error',
    ]);
    expect(both.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(fakes[0]?.faults.list()).toEqual([]);
    expect(fakes[1]?.faults.list()).toEqual([]);
  });

  it('never replays a stream that already produced output', async () => {
    fakes[0]?.setLoaded(['llama3.2']);
    const p = makePool({}, [fakes[0]!.url, fakes[1]!.url]);
    fakes[0]?.faults.set({ path: '/api/chat', errorAfterChunks: 1 });
    const { items, error } = await drain(
      routedStream(p, 'llama3.2', (provider) =>
        provider.chatStream({ model: 'llama3.2', messages }),
      ),
    );
    expect(items).toHaveLength(1);
    expect(error?.code).toBe('STREAM_INTERRUPTED');
    expect(chatCount(fakes[1]!)).toBe(0);
  });

  it('an upstream whose health check hangs is marked unhealthy with a timeout', async () => {
    fakes[0]?.faults.set({ path: '/api/version', neverAnswer: true });
    const p = makePool({ healthTimeoutMs: 100 }, [fakes[0]!.url, fakes[1]!.url]);
    await p.ready();
    expect(p.health().map((h) => h.healthy)).toEqual([false, true]);
    expect(p.health()[0]?.lastError).toMatch(/timed out after 100 ms/);
    expect((await routedChat(p)).upstream).toBe(`ollama:${fakes[1]?.url}`);
  });

  it('no healthy upstream → UPSTREAM_UNAVAILABLE', async () => {
    const gone = await startFakeOllama();
    await gone.close();
    const p = makePool({}, [gone.url]);
    expect((await rejection(routedChat(p))).code).toBe('UPSTREAM_UNAVAILABLE');
    expect(p.health()[0]).toMatchObject({ healthy: false, inFlight: 0 });
  });
});

describe('concurrency limits', () => {
  it('bounds in-flight requests per upstream; a full queue or a queue timeout → OVERLOADED', async () => {
    const p = makePool(
      { maxConcurrentPerUpstream: 1, maxQueuePerUpstream: 1, queueTimeoutMs: 100 },
      [fakes[0]!.url],
    );
    await p.ready();
    fakes[0]?.faults.set({ path: '/api/chat', delayBeforeHeadersMs: 400, times: 1 });
    const first = routedChat(p);
    await fakes[0]?.journal.waitFor((e) => e.path === '/api/chat', 1_000);
    const queued = rejection(routedChat(p));
    const refused = await rejection(routedChat(p));
    expect(refused.code).toBe('OVERLOADED');
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(p.health()[0]).toMatchObject({ inFlight: 1, queued: 1 });
    expect((await queued).code).toBe('OVERLOADED');
    expect((await first).result.done).toBe(true);
    expect(chatCount(fakes[0]!)).toBe(1);
  });

  it('queued requests run one at a time as slots free, and a waiting caller can leave', async () => {
    const p = makePool(
      { maxConcurrentPerUpstream: 2, maxQueuePerUpstream: 10, queueTimeoutMs: 5_000 },
      [fakes[0]!.url],
    );
    fakes[0]?.faults.set({ path: '/api/chat', chunkDelayMs: 5 });
    const leaving = new AbortController();
    const results = Array.from({ length: 8 }, () => routedChat(p));
    const left = rejection(routedChat(p, 'llama3.2', leaving.signal));
    leaving.abort();
    expect((await left).code).toBe('CANCELLED');
    await Promise.all(results);
    const entries = fakes[0]!.journal.entries().filter((e) => e.path === '/api/chat');
    expect(entries).toHaveLength(8);
    // Peak concurrency seen by the upstream, from the journal's start/finish times.
    const edges = entries.flatMap((e) => [
      { at: e.startedAt, d: 1 },
      { at: e.finishedAt ?? e.closedAt ?? Number.POSITIVE_INFINITY, d: -1 },
    ]);
    edges.sort((a, b) => a.at - b.at || a.d - b.d);
    let now = 0;
    let peak = 0;
    for (const edge of edges) {
      now += edge.d;
      peak = Math.max(peak, now);
    }
    expect(peak).toBeLessThanOrEqual(2);
  });
});
