// Model fallbacks on a real pool of fake Ollamas: which failures move on to the next model,
// which do not, and never once output began.
import { type FakeOllama, startFakeOllama } from '@intellicore/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { GatewayError } from '../src/errors.js';
import { createModelPolicy } from '../src/policy/model-policy.js';
import { createOllamaProvider } from '../src/providers/ollama/ollama-provider.js';
import { fallbackStream } from '../src/routing/model-fallback.js';
import { createUpstreamPool, type UpstreamPool } from '../src/routing/upstream-pool.js';
import type { RequestContext } from '../src/service/context.js';
import { fallbackChains } from '../src/service/key-models.js';
import { aggregateChat } from '../src/streams/aggregate.js';
import type { ChatStreamEvent } from '../src/types.js';
import { drain } from './ollama-helpers.js';

let fake: FakeOllama | undefined;
let pool: UpstreamPool | undefined;
afterEach(async () => {
  await pool?.close();
  await fake?.close();
});

async function start() {
  fake = await startFakeOllama();
  pool = createUpstreamPool({
    upstreams: [createOllamaProvider({ url: fake.url, timeoutMs: 300 })],
    healthIntervalMs: 60_000,
  });
  await pool.ready();
  return { fake, pool };
}

const hello = [{ role: 'user' as const, content: 'hello fallback' }];

function chatOn(p: UpstreamPool, models: string[], served: string[]) {
  return fallbackStream(
    p,
    models,
    (provider, model) => provider.chatStream({ model, messages: hello }),
    { onModel: (m) => served.push(m) },
  );
}

describe('fallbackStream', () => {
  it.each([
    ['OVERLOADED (queue full)', { queueFull: true }],
    ['UPSTREAM_TIMEOUT (no headers in time)', { delayBeforeHeadersMs: 1000 }],
  ])('%s on the first model: the next one answers', async (_name, fault) => {
    const { fake, pool } = await start();
    fake.faults.set({ path: '/api/chat', model: 'llama3.2', ...fault });
    const served: string[] = [];
    const result = await aggregateChat(chatOn(pool, ['llama3.2', 'mistral'], served));
    expect(served).toEqual(['llama3.2', 'mistral']);
    expect(result.message.content).toContain('echo(mistral');
  });

  it('an error the request caused is the answer: no fallback', async () => {
    const { fake, pool } = await start();
    fake.faults.set({
      path: '/api/chat',
      model: 'llama3.2',
      failStatus: 400,
      failBody: '{"error":"bad"}',
    });
    const served: string[] = [];
    const { error } = await drain(chatOn(pool, ['llama3.2', 'mistral'], served));
    expect(error?.code).toBe('BAD_REQUEST');
    expect(served).toEqual(['llama3.2']);
  });

  it('never after the first byte, even on an upstream failure', async () => {
    const { pool } = await start();
    const served: string[] = [];
    const events = fallbackStream(
      pool,
      ['llama3.2', 'mistral'],
      async function* (provider, model) {
        for await (const event of provider.chatStream({ model, messages: hello })) {
          yield event;
          throw new GatewayError('UPSTREAM_UNAVAILABLE', 'went away mid-stream');
        }
      },
      { onModel: (m) => served.push(m) },
    );
    const { items, error } = await drain<ChatStreamEvent>(events);
    expect(items).toHaveLength(1);
    expect(error?.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(served).toEqual(['llama3.2']);
  });
});

describe('fallbackChains', () => {
  const policy = createModelPolicy({
    allowedModels: ['llama3.2', 'mistral', 'llama3.2:1b'],
    defaultChatModel: 'llama3.2',
    defaultEmbeddingModel: 'nomic-embed-text',
  });
  const chains = fallbackChains({ 'llama3.2': ['mistral', 'codellama', 'llama3.2:1b'] }, policy);
  const ctx = (models?: string[]): RequestContext => ({
    caller: { keyId: 'k', admin: false, ...(models ? { models } : {}) },
    door: 'trpc',
  });

  it('keeps only models the gateway and the caller’s key allow, in order', () => {
    expect(chains('llama3.2', ctx())).toEqual(['llama3.2', 'mistral', 'llama3.2:1b']);
    expect(chains('llama3.2:latest', ctx())).toEqual(['llama3.2:latest', 'mistral', 'llama3.2:1b']);
    expect(chains('llama3.2', ctx(['llama3.2', 'llama3.2:1b']))).toEqual([
      'llama3.2',
      'llama3.2:1b',
    ]);
    expect(chains('mistral', ctx())).toEqual(['mistral']);
  });
});
