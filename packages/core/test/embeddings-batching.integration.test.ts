// Starts a real fake-Ollama HTTP server on 127.0.0.1; embeds go through the full gateway service.
import { type FakeOllama, fakeEmbedding, startFakeOllama } from '@intellicore/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { EmbedBatchingOptions } from '../src/embeddings/embed-batcher.js';
import { createOllamaProvider } from '../src/providers/ollama/ollama-provider.js';
import type { RequestContext } from '../src/service/context.js';
import {
  createGatewayService,
  type GatewayServiceWithPool,
} from '../src/service/gateway-service-impl.js';
import type { RequestTrace } from '../src/tracing/request-trace.js';
import { rejection } from './ollama-helpers.js';

let fake: FakeOllama;
const services: GatewayServiceWithPool[] = [];
const ctx = (signal?: AbortSignal): RequestContext => ({
  caller: { keyId: null, admin: false },
  door: 'trpc',
  ...(signal ? { signal } : {}),
});

beforeAll(async () => {
  fake = await startFakeOllama();
});
afterAll(async () => {
  await Promise.all(services.map((s) => s.close()));
  await fake.close();
});
beforeEach(() => {
  fake.faults.clear();
  fake.journal.clear();
});

function service(embedBatching: EmbedBatchingOptions) {
  const s = createGatewayService({
    upstreams: [createOllamaProvider({ url: fake.url, timeoutMs: 5_000 })],
    policy: {
      allowedModels: null,
      defaultChatModel: 'llama3.2',
      defaultEmbeddingModel: 'nomic-embed-text',
    },
    pool: { healthIntervalMs: 60_000 },
    embedBatching,
  });
  services.push(s);
  return s;
}

const embedCalls = () => fake.journal.entries().filter((e) => e.path === '/api/embed');
const inputsOf = (e: { body: unknown }) => (e.body as { input: string | string[] }).input;

/** A trace that writes down its phases (name, detail, outcome) as the request log's does. */
function recordingTrace(traceparent: string) {
  const steps: string[] = [];
  const trace: RequestTrace = {
    begin: () => {},
    phase: (name, detail) => {
      steps.push(`${name}${detail ? ` ${detail}` : ''}`);
      return (outcome) => {
        if (outcome?.error) steps.push(`${name} failed ${outcome.error}`);
      };
    },
    firstToken: () => {},
    upstreamHeaders: () => ({ traceparent }),
  };
  return { trace, steps };
}

describe('embeddings micro-batching', () => {
  it('every caller of a batch sees its queue and upstream phases; Ollama gets the first trace', async () => {
    const batched = service({ windowMs: 2, maxBatchSize: 64 });
    await batched.health();
    const a = recordingTrace('00-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-aaaaaaaaaaaaaaaa-01');
    const b = recordingTrace('00-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-bbbbbbbbbbbbbbbb-01');
    await Promise.all([
      batched.embed({ input: 'traced one' }, { ...ctx(), trace: a.trace }),
      batched.embed({ input: 'traced two' }, { ...ctx(), trace: b.trace }),
    ]);
    expect(embedCalls()).toHaveLength(1);
    expect(inputsOf(embedCalls()[0]!)).toEqual(['traced one', 'traced two']);
    expect(embedCalls()[0]?.headers.traceparent).toBe(
      '00-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-aaaaaaaaaaaaaaaa-01',
    );
    const upstreamId = `ollama:${fake.url}`;
    for (const steps of [a.steps, b.steps]) {
      expect(steps).toEqual(expect.arrayContaining(['queue', `upstream ${upstreamId}`]));
    }
  });

  it('merges concurrent calls into fewer upstream calls with identical vectors, order kept', async () => {
    const batched = service({ windowMs: 2, maxBatchSize: 64 });
    await batched.health();
    const requests = Array.from({ length: 20 }, (_, i) =>
      i % 3 === 0 ? { input: [`text ${i}a`, `text ${i}b`] } : { input: `text ${i}` },
    );
    const results = await Promise.all(requests.map((r) => batched.embed(r, ctx())));
    expect(embedCalls().length).toBeLessThan(requests.length);
    expect(embedCalls().length).toBeLessThanOrEqual(2);
    results.forEach((result, i) => {
      const input = requests[i]!.input;
      const texts = Array.isArray(input) ? input : [input];
      expect(result.embeddings).toEqual(texts.map((t) => fakeEmbedding(t, 16)));
      expect(result.model).toBe('nomic-embed-text');
      expect(result.upstream).toBe(`ollama:${fake.url}`);
    });
    // identical to what the same inputs give unbatched
    const plain = service({ enabled: false });
    fake.journal.clear();
    const unbatched = await Promise.all(requests.map((r) => plain.embed(r, ctx())));
    expect(embedCalls()).toHaveLength(requests.length);
    expect(unbatched.map((r) => r.embeddings)).toEqual(results.map((r) => r.embeddings));
  });

  it('respects the max batch size and never merges different parameters', async () => {
    const s = service({ maxBatchSize: 4 });
    await Promise.all(Array.from({ length: 10 }, (_, i) => s.embed({ input: `x${i}` }, ctx())));
    const calls = embedCalls();
    expect(calls).toHaveLength(3);
    for (const c of calls) expect((inputsOf(c) as string[]).length).toBeLessThanOrEqual(4);
    fake.journal.clear();
    await Promise.all([
      s.embed({ input: 'a', dimensions: 16 }, ctx()),
      s.embed({ input: 'b' }, ctx()),
      s.embed({ input: 'c', truncate: false }, ctx()),
    ]);
    expect(embedCalls()).toHaveLength(3);
  });

  it('a caller that aborts before the batch leaves gets CANCELLED and is left out', async () => {
    const s = service({ windowMs: 2 });
    await s.health();
    const leaving = new AbortController();
    const stay = [s.embed({ input: 'one' }, ctx()), s.embed({ input: 'two' }, ctx())];
    const left = s.embed({ input: 'gone' }, ctx(leaving.signal));
    leaving.abort();
    expect((await rejection(left)).code).toBe('CANCELLED');
    const results = await Promise.all(stay);
    expect(results.map((r) => r.embeddings[0])).toEqual([
      fakeEmbedding('one', 16),
      fakeEmbedding('two', 16),
    ]);
    expect(embedCalls().flatMap((c) => inputsOf(c))).toEqual(['one', 'two']);
  });

  it('a caller that aborts mid-flight leaves the others unharmed; when all leave the upstream call is aborted', async () => {
    const s = service({ windowMs: 2 });
    await s.health();
    fake.faults.set({ path: '/api/embed', delayBeforeHeadersMs: 150 });
    const leaving = new AbortController();
    const stay = s.embed({ input: 'stays' }, ctx());
    const left = s.embed({ input: 'leaves' }, ctx(leaving.signal));
    await fake.journal.waitFor((e) => e.path === '/api/embed', 1_000);
    leaving.abort();
    expect((await rejection(left)).code).toBe('CANCELLED');
    expect((await stay).embeddings).toEqual([fakeEmbedding('stays', 16)]);
    expect(embedCalls()[0]?.clientClosed).toBe(false);

    fake.journal.clear();
    // The upstream would answer after 3 s: its connection closing within 1 s is the abort.
    fake.faults.clear();
    fake.faults.set({ path: '/api/embed', delayBeforeHeadersMs: 3_000 });
    const all = [new AbortController(), new AbortController()];
    const both = all.map((c, i) => s.embed({ input: `bye ${i}` }, ctx(c.signal)));
    await fake.journal.waitFor((e) => e.path === '/api/embed', 1_000);
    const abortedAt = Date.now();
    for (const c of all) c.abort();
    for (const p of both) expect((await rejection(p)).code).toBe('CANCELLED');
    const entry = await fake.journal.waitFor(
      (e) => e.path === '/api/embed' && e.clientClosed,
      2_000,
    );
    expect((entry.closedAt ?? Number.POSITIVE_INFINITY) - abortedAt).toBeLessThan(1_000);
  });

  it('an upstream failure reaches every caller of the batch, typed', async () => {
    const s = service({ windowMs: 2 });
    await s.health();
    fake.faults.set({
      path: '/api/embed',
      failStatus: 400,
      failBody: { error: 'input too long' },
      times: 1,
    });
    const errors = await Promise.all(
      [s.embed({ input: 'a' }, ctx()), s.embed({ input: 'b' }, ctx())].map(rejection),
    );
    expect(errors.map((e) => [e.code, e.message])).toEqual([
      ['BAD_REQUEST', 'input too long'],
      ['BAD_REQUEST', 'input too long'],
    ]);
  });
});
