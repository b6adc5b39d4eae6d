// Starts a real fake-Ollama HTTP server and the real embedded llama.cpp engine (tiny generated
// GGUF, CPU) behind one gateway service: both are plain Providers to the pool.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FakeOllama, startFakeOllama, writeTinyGguf } from '@intellicore/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createEmbeddedProvider } from '../src/providers/embedded/index.js';
import { createOllamaUpstreams } from '../src/providers/ollama/upstreams.js';
import type { RequestContext } from '../src/service/context.js';
import {
  createGatewayService,
  type GatewayServiceWithPool,
} from '../src/service/gateway-service-impl.js';
import { drain } from './ollama-helpers.js';

let fake: FakeOllama;
let dir: string;
let service: GatewayServiceWithPool;
const ctx: RequestContext = { caller: { keyId: null, admin: true }, door: 'ollama' };

beforeAll(async () => {
  fake = await startFakeOllama();
  dir = await mkdtemp(join(tmpdir(), 'routing-mixed-'));
  await writeTinyGguf(join(dir, 'tiny.gguf'), { seed: 1 });
  const embedded = createEmbeddedProvider({ modelsDir: dir, maxSequences: 1, maxQueue: 4 });
  service = createGatewayService({
    upstreams: [...createOllamaUpstreams([fake.url], { timeoutMs: 10_000 }), embedded],
    policy: {
      allowedModels: null,
      defaultChatModel: 'llama3.2',
      defaultEmbeddingModel: 'nomic-embed-text',
    },
    pool: { healthIntervalMs: 60_000 },
  });
});
afterAll(async () => {
  await service?.close();
  await fake?.close();
  await rm(dir, { recursive: true, force: true });
});

it('the catalogue spans both kinds and each model routes to the upstream that has it', async () => {
  const embeddedId = (await service.health()).upstreams.find((u) => u.kind === 'embedded')?.id;
  expect(embeddedId).toBeDefined();
  const models = await service.listModels(ctx);
  expect(models.find((m) => m.name === 'tiny:latest')?.upstreams).toEqual([embeddedId]);
  expect(models.find((m) => m.name === 'llama3.2:latest')?.upstreams).toEqual(['ollama-1']);

  const local = await service.chat(
    {
      model: 'tiny',
      messages: [{ role: 'user', content: 'hi' }],
      options: { temperature: 0, seed: 1, num_predict: 4 },
    },
    ctx,
  );
  expect(local.upstream).toBe(embeddedId);
  expect(local.ttftMs).toBeGreaterThan(0);
  const remote = await service.chat({ messages: [{ role: 'user', content: 'hi' }] }, ctx);
  expect(remote.upstream).toBe('ollama-1');
  expect(fake.journal.entries().filter((e) => e.path === '/api/chat')).toHaveLength(1);

  const { items } = await drain(
    service.chatStream(
      { model: 'tiny', messages: [{ role: 'user', content: 'hi' }], options: { num_predict: 3 } },
      ctx,
    ),
  );
  expect(items.at(-1)).toMatchObject({ done: true, upstream: embeddedId });
}, 60_000);

it('an embedded engine that cannot read its models directory is down, and says so', async () => {
  const notADir = join(dir, 'tiny.gguf'); // a file where the directory should be
  const broken = createEmbeddedProvider({ modelsDir: notADir });
  const mixed = createGatewayService({
    upstreams: [...createOllamaUpstreams([fake.url], { timeoutMs: 10_000 }), broken],
    policy: { allowedModels: null, defaultChatModel: 'llama3.2', defaultEmbeddingModel: 'x' },
    pool: { healthIntervalMs: 60_000 },
  });
  try {
    const report = await mixed.health();
    expect(report.upstreams.find((u) => u.kind === 'embedded')).toMatchObject({
      healthy: false,
      lastError: 'Embedded engine cannot read its models directory',
    });
    expect(report.ready).toBe(true); // Ollama is up
    // What the broken engine has is unknown: a model nobody listed is not "not found" yet.
    const error = await mixed
      .chat({ model: 'tiny', messages: [{ role: 'user', content: 'hi' }] }, ctx)
      .then(
        () => undefined,
        (e: { code: string; message: string }) => e,
      );
    expect(error).toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      message:
        "Model 'tiny' is not on any reachable upstream, and one upstream has not answered yet",
    });
    expect((await mixed.chat({ messages: [{ role: 'user', content: 'hi' }] }, ctx)).upstream).toBe(
      'ollama-1',
    );
  } finally {
    await mixed.close();
  }
  expect((await broken.version().catch((e: { code: string }) => e)) as unknown).toMatchObject({
    code: 'UPSTREAM_UNAVAILABLE',
    message: 'Embedded engine is closed',
  });
});
