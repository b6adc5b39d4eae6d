import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChatRequest, RequestContext } from '@intellicore/llm-core';
import { DEMO_MODEL_NAME, ensureDemoModel, writeTinyGguf } from '@intellicore/testkit';
import type { TRPCClient } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppRouter } from '../src/index.js';
import { startTestGateway, type TestGateway } from '../src/testing.js';
import { metricSum, scrape } from './real-inference/metrics.js';
import { type GatewaySdk, loadSdk } from './real-inference/sdk.js';

// Real tokens over real HTTP, no double anywhere:
//   B's SDK → gateway B (tRPC) → B's Ollama provider → gateway A's /api → A's embedded engine
// (llama.cpp on the generated demo model). What B's caller gets is compared with what A's
// engine computes when asked directly (A's core service, bypassing /api and B).
//
// A runs ONE request at a time with no queue (UPSTREAM_MAX_CONCURRENCY=1, UPSTREAM_QUEUE_SIZE=0),
// so a generation left running on A would make A refuse the next request (OVERLOADED).

const MODEL = DEMO_MODEL_NAME;
/**
 * The demo model's weights with a 4096-token context. The demo model (512) runs out of context
 * in well under a second, too soon to tell a cancelled generation from a finished one; this one,
 * greedy on the abort test's prompt, generates for seconds (measured: 4000 tokens in about 8 s).
 * Checked by breaking propagation on purpose (B's upstream fetch ignoring aborts): the abort
 * test then fails, A having finished the whole generation.
 */
const LONG_MODEL = `${DEMO_MODEL_NAME}-long-context`;
const direct: RequestContext = { caller: { keyId: null, admin: false }, door: 'trpc' };

let modelsDir: string;
let a: TestGateway;
let b: TestGateway;
let sdk: GatewaySdk;
let client: TRPCClient<AppRouter>;

beforeAll(async () => {
  modelsDir = await mkdtemp(join(tmpdir(), 'real-inference-'));
  await ensureDemoModel(modelsDir);
  await writeTinyGguf(join(modelsDir, `${LONG_MODEL}.gguf`), {
    name: LONG_MODEL,
    contextLength: 4096,
  });
  a = await startTestGateway({
    env: {
      MODELS_DIR: modelsDir,
      ALLOWED_MODELS: `${MODEL},${LONG_MODEL}`,
      UPSTREAM_MAX_CONCURRENCY: '1',
      UPSTREAM_QUEUE_SIZE: '0',
    },
    waitReady: true,
  });
  b = await startTestGateway({
    ollamaUrl: a.url,
    env: {
      ALLOWED_MODELS: `${MODEL},${LONG_MODEL}`,
      OLLAMA_DEFAULT_MODEL: MODEL,
      OLLAMA_EMBEDDING_MODEL: MODEL,
    },
  });
  sdk = await loadSdk();
  client = sdk.createGatewayClient({ url: b.url });
}, 60_000);

afterAll(async () => {
  await b?.close();
  await a?.close();
  if (modelsDir) await rm(modelsDir, { recursive: true, force: true });
});

/** Text pieces of a chat as A's engine produces them, asked directly (no HTTP, no B). */
async function directPieces(request: ChatRequest) {
  const pieces: string[] = [];
  let done: { doneReason?: string; evalCount?: number } | undefined;
  for await (const event of a.service.chatStream(request, direct)) {
    if (event.message.content) pieces.push(event.message.content);
    if (event.done) done = { doneReason: event.doneReason, evalCount: event.metrics.evalCount };
  }
  return { pieces, done };
}

/** Resolves once A has no request running or streaming; fails after `ms`. */
async function aIdle(ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    const health = await a.service.health();
    const busy = health.upstreams.some((u) => u.inFlight > 0 || u.queued > 0);
    if (!busy && metricSum(await scrape(a.url), 'gateway_open_streams') === 0) return;
    if (Date.now() > until) throw new Error(`gateway A still busy after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('real inference through two gateways (B → Ollama provider → A /api → llama.cpp)', {
  timeout: 30_000,
}, () => {
  it("models.list on B shows A's embedded model, served by A as an Ollama upstream", async () => {
    const models = await client.models.list.query();
    const demo = models.find((m) => m.name.replace(/:latest$/, '') === MODEL);
    expect(demo, JSON.stringify(models)).toBeDefined();
    expect(demo?.upstreams).toEqual(['ollama-1']);
    expect(demo?.details.family).toBe('llama');
  });

  it("a chat stream through B's SDK yields exactly the tokens A's engine computes", async () => {
    const request = {
      model: MODEL,
      messages: [{ role: 'user' as const, content: 'Tell me a story about the sea.' }],
      options: { temperature: 0, seed: 7, num_predict: 24 },
    };
    const expected = await directPieces(request);
    expect(expected.done?.doneReason).toBe('length');
    expect(expected.pieces.length).toBeGreaterThan(1);

    const stream = sdk.chatStream(client, { ...request, noCache: true });
    const pieces: string[] = [];
    for await (const piece of stream) pieces.push(piece);
    const result = await stream.result;

    expect(pieces).toEqual(expected.pieces);
    expect(result.message.content).toBe(expected.pieces.join(''));
    expect(result.upstream).toBe('ollama-1');
    expect(result.doneReason).toBe('length');
    expect(result.usage.completionTokens).toBe(expected.done?.evalCount);
  });

  it("embeddings through B's SDK equal A's, float for float", async () => {
    const input = 'the quick brown fox';
    const mine = await a.service.embed({ model: MODEL, input: [input] }, direct);
    const viaB = await client.chat.embed.mutate({ model: MODEL, input, noCache: true });
    expect(viaB.upstream).toBe('ollama-1');
    expect(viaB.embedding).toHaveLength(64);
    expect(viaB.embedding).toEqual(mine.embeddings[0]);

    const inputs = ['first text', 'a second, longer text'];
    const batchA = await a.service.embed({ model: MODEL, input: inputs }, direct);
    const batchB = await client.chat.embedBatch.mutate({ model: MODEL, inputs, noCache: true });
    expect(batchB.embeddings).toEqual(batchA.embeddings);
    expect(batchB.embeddings[0]).not.toEqual(batchB.embeddings[1]);
  });

  it("an abort from B's client stops the generation on A", async () => {
    await aIdle();
    const before = await scrape(a.url);
    const controller = new AbortController();
    // Unless cancelled, A generates all 4000 tokens (repeat_penalty 1: a greedy loop, no EOS).
    const stream = sdk.chatStream(
      client,
      {
        model: LONG_MODEL,
        messages: [{ role: 'user', content: 'Tell me a story about the sea.' }],
        options: { temperature: 0, seed: 7, num_predict: 4000, repeat_penalty: 1 },
        noCache: true,
      },
      { signal: controller.signal },
    );
    const received: string[] = [];
    const consumed = (async () => {
      for await (const piece of stream) {
        received.push(piece);
        if (received.length === 1) controller.abort();
      }
    })();
    await expect(consumed).rejects.toMatchObject({ gatewayCode: 'CANCELLED' });
    await expect(stream.result).rejects.toMatchObject({ gatewayCode: 'CANCELLED' });

    // A saw the cancellation: its /api/chat request ended CANCELLED, its only slot is free again,
    // and the generation never ran to its end (no completion tokens counted on A, any model).
    await aIdle();
    const after = await scrape(a.url);
    const count = (text: string) => ({
      cancelled: metricSum(text, 'gateway_requests_total', {
        route: '/api/chat',
        status: 'CANCELLED',
      }),
      tokensOut: metricSum(text, 'gateway_tokens_total', { direction: 'out' }),
    });
    expect(count(after), 'A: one more /api/chat CANCELLED, no completion tokens').toEqual({
      cancelled: count(before).cancelled + 1,
      tokensOut: count(before).tokensOut,
    });

    // The next request through B is served at once (A's one slot is free; A has no queue), and
    // A counts its tokens: the counter above is live, so "no tokens counted" meant something.
    const next = await client.chat.completion.mutate({
      model: MODEL,
      messages: [{ role: 'user', content: 'Tell me a story about the sea.' }],
      options: { temperature: 0, seed: 7, num_predict: 3 },
      noCache: true,
    });
    expect(next.doneReason).toBe('length');
    expect(count(await scrape(a.url)).tokensOut).toBe(
      count(before).tokensOut + next.usage.completionTokens,
    );
  });
});
