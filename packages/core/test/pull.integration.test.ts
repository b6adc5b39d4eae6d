// Starts a real fake-Ollama HTTP server on 127.0.0.1; pulls go through the full gateway service.
import { type FakeOllama, startFakeOllama } from '@intellicore/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GatewayError } from '../src/errors.js';
import { createOllamaProvider } from '../src/providers/ollama/ollama-provider.js';
import type { RequestContext } from '../src/service/context.js';
import {
  createGatewayService,
  type GatewayServiceWithPool,
} from '../src/service/gateway-service-impl.js';
import { createSharedPulls } from '../src/service/shared-pull.js';
import { drain, rejection } from './ollama-helpers.js';

let fake: FakeOllama;
let service: GatewayServiceWithPool;
const admin = (signal?: AbortSignal): RequestContext => ({
  caller: { keyId: 'key_admin', admin: true },
  door: 'trpc',
  ...(signal ? { signal } : {}),
});
const pulls = () => fake.journal.entries().filter((e) => e.path === '/api/pull');

beforeAll(async () => {
  fake = await startFakeOllama();
  service = createGatewayService({
    upstreams: [createOllamaProvider({ url: fake.url, timeoutMs: 5_000 })],
    policy: {
      allowedModels: [
        'llama3.2',
        'qwen2:0.5b',
        'phi3',
        'gemma:2b',
        'missing-model',
        'nomic-embed-text',
      ],
      defaultChatModel: 'llama3.2',
      defaultEmbeddingModel: 'nomic-embed-text',
    },
    pool: { healthIntervalMs: 60_000 },
  });
});
afterAll(async () => {
  await service.close();
  await fake.close();
});
beforeEach(() => {
  fake.faults.clear();
  fake.journal.clear();
});

describe('pull', () => {
  it('streams progress with percent and adds the model to the catalogue', async () => {
    expect((await service.listModels(admin())).map((m) => m.name)).not.toContain('qwen2:0.5b');
    const { items, error } = await drain(service.pullModel('qwen2:0.5b', admin()));
    expect(error).toBeUndefined();
    expect(items.map((p) => p.status)).toEqual(
      expect.arrayContaining(['pulling manifest', 'verifying sha256 digest', 'success']),
    );
    const layer = items.filter((p) => p.total !== undefined);
    expect(layer[0]?.digest).toMatch(/^sha256:/);
    expect(layer.at(-1)?.percent).toBe(100);
    expect(layer.every((p) => p.percent !== undefined && p.percent >= 0 && p.percent <= 100)).toBe(
      true,
    );
    expect((await service.listModels(admin())).map((m) => m.name)).toContain('qwen2:0.5b');
  });

  it('concurrent pulls of one model share one upstream pull', async () => {
    fake.faults.set({ path: '/api/pull', chunkDelayMs: 20 });
    const results = await Promise.all(
      Array.from({ length: 3 }, () => drain(service.pullModel('phi3', admin()))),
    );
    expect(pulls()).toHaveLength(1);
    for (const { items, error } of results) {
      expect(error).toBeUndefined();
      expect(items.at(-1)?.status).toBe('success');
    }
  });

  it('a caller that leaves does not stop the others; when all leave the upstream pull is aborted', async () => {
    fake.faults.set({ path: '/api/pull', chunkDelayMs: 30 });
    const leaving = new AbortController();
    const staying = drain(service.pullModel('gemma:2b', admin()));
    const left = drain(
      (async function* () {
        for await (const p of service.pullModel('gemma:2b', admin(leaving.signal))) {
          yield p;
          leaving.abort();
        }
      })(),
    );
    expect((await left).error?.code).toBe('CANCELLED');
    expect((await staying).items.at(-1)?.status).toBe('success');
    expect(pulls()).toHaveLength(1);
    expect(pulls()[0]?.clientClosed).toBe(false);

    fake.journal.clear();
    let brokeAt = 0;
    for await (const _ of service.pullModel('llama3.2', admin())) {
      brokeAt = Date.now();
      break;
    }
    const entry = await fake.journal.waitFor(
      (e) => e.path === '/api/pull' && e.clientClosed,
      2_000,
    );
    // Promptly (a loaded 2-core CI may take a few hundred ms); a pull left running never closes.
    expect((entry.closedAt ?? Number.POSITIVE_INFINITY) - brokeAt).toBeLessThan(1_000);
  });

  it('a pull right after start-up waits for the first health check (it used to hang)', async () => {
    const fresh = createGatewayService({
      upstreams: [createOllamaProvider({ url: fake.url, timeoutMs: 5_000 })],
      policy: { allowedModels: ['phi3'], defaultChatModel: 'phi3', defaultEmbeddingModel: 'phi3' },
      pool: { healthIntervalMs: 60_000 },
    });
    try {
      const { items, error } = await drain(fresh.pullModel('phi3', admin()));
      expect(error).toBeUndefined();
      expect(items.at(-1)?.status).toBe('success');
    } finally {
      await fresh.close();
    }
  });

  it('a pull whose starter fails at once answers its error instead of hanging', async () => {
    const pulls = createSharedPulls(
      () => {
        throw new GatewayError('UPSTREAM_UNAVAILABLE', 'No upstream can pull models');
      },
      async () => {},
    );
    const { items, error } = await drain(pulls.pull('phi3'));
    expect(items).toEqual([]);
    expect(error?.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(pulls.active()).toBe(0);
  });

  it('refuses models outside the allow-list before reaching the upstream', async () => {
    const { error } = await drain(service.pullModel('mistral:7b', admin()));
    expect(error?.code).toBe('MODEL_NOT_ALLOWED');
    expect((await drain(service.pullModel('', admin()))).error?.code).toBe('BAD_REQUEST');
    expect(pulls()).toHaveLength(0);
  });

  it('a model the registry does not have → MODEL_NOT_FOUND', async () => {
    const { items, error } = await drain(service.pullModel('missing-model', admin()));
    expect(items[0]?.status).toBe('pulling manifest');
    expect(error?.code).toBe('MODEL_NOT_FOUND');
  });
});

describe('delete', () => {
  it('removes the model everywhere and refreshes the catalogue', async () => {
    await drain(service.pullModel('qwen2:0.5b', admin()));
    expect((await service.listModels(admin())).map((m) => m.name)).toContain('qwen2:0.5b');
    await service.deleteModel('qwen2:0.5b', admin());
    expect((await service.listModels(admin())).map((m) => m.name)).not.toContain('qwen2:0.5b');
    expect(fake.journal.entries().some((e) => e.path === '/api/delete')).toBe(true);
  });

  it('is refused outside the allow-list and typed for unknown models', async () => {
    expect((await rejection(service.deleteModel('mistral', admin()))).code).toBe(
      'MODEL_NOT_ALLOWED',
    );
    expect((await rejection(service.deleteModel('phi3:unknown-tag', admin()))).code).toBe(
      'MODEL_NOT_ALLOWED',
    );
    expect(
      (
        await rejection(
          service
            .deleteModel('gemma:2b', admin())
            .then(() => service.deleteModel('gemma:2b', admin())),
        )
      ).code,
    ).toBe('MODEL_NOT_FOUND');
  });
});
