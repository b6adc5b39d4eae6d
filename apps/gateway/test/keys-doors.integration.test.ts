// A stored key's model list, and MODEL_FALLBACKS, on every door: tRPC (one answer and the
// stream), REST /api/v1, OpenAI /v1, Anthropic /v1/messages and Ollama /api, with the official
// clients. Two fake Ollamas: one has llama3.2 (and nomic-embed-text), the other mistral (and
// all-minilm); the first is stopped once the gateway knows both.
import Anthropic from '@anthropic-ai/sdk';
import { type FakeOllama, startFakeOllama } from '@intellicore/testkit';
import { Ollama } from 'ollama';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../src/testing.js';
import { rest, sseFrames } from './helpers/rest.js';
import { createTestClient, errorData, failureOf } from './helpers/trpc-client.js';

let llamaFake: FakeOllama;
let mistralFake: FakeOllama;
let gw: TestGateway;
/** Secrets of stored keys: one limited to mistral, one to llama3.2, one with no list. */
let mistralOnly: string;
let llamaOnly: string;
let anyModel: string;

const hello = [{ role: 'user' as const, content: 'hello keys' }];

beforeAll(async () => {
  llamaFake = await startFakeOllama({
    models: [{ name: 'llama3.2' }, { name: 'nomic-embed-text', capabilities: ['embedding'] }],
  });
  mistralFake = await startFakeOllama({
    models: [{ name: 'mistral' }, { name: 'all-minilm', capabilities: ['embedding'] }],
  });
  gw = await startTestGateway({
    ollamaUrl: [llamaFake.url, mistralFake.url],
    env: {
      ADMIN_API_KEYS: 'adm',
      ALLOWED_MODELS: 'llama3.2,mistral,nomic-embed-text,all-minilm',
      MODEL_FALLBACKS: 'llama3.2=mistral,nomic-embed-text=all-minilm',
    },
  });
  const admin = createTestClient(gw.url, 'adm');
  mistralOnly = (await admin.keys.create.mutate({ name: 'mistral-only', models: ['mistral'] })).key;
  llamaOnly = (await admin.keys.create.mutate({ name: 'llama-only', models: ['llama3.2'] })).key;
  anyModel = (await admin.keys.create.mutate({ name: 'any-model' })).key;
});

afterAll(async () => {
  await gw?.close();
  await Promise.all([llamaFake?.close(), mistralFake?.close()]);
});

/** The status and gateway code of one chat for `llama3.2` on each door, with `key`. */
async function llamaOnEveryDoor(key: string) {
  const trpc = createTestClient(gw.url, key);
  const openai = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: key, maxRetries: 0 });
  const anthropic = new Anthropic({ baseURL: gw.url, apiKey: key, maxRetries: 0 });
  const ollama = new Ollama({ host: gw.url, headers: { Authorization: `Bearer ${key}` } });
  const model = 'llama3.2';
  const code = (e: unknown) => {
    const error = e as { status?: number; status_code?: number; code?: string; error?: unknown };
    return `${error.status ?? error.status_code} ${error.code ?? JSON.stringify(error.error)}`;
  };
  const restAnswer = await rest(gw.url, 'POST', '/api/v1/chat/completions', {
    key,
    body: { model, messages: hello },
  });
  return {
    trpc: await failureOf(trpc.chat.completion.mutate({ model, messages: hello })).then(
      (d) => `${d.httpStatus} ${d.gatewayCode}`,
    ),
    trpcStream: await failureOf(streamed(trpc, model)).then(
      (d) => `${d.httpStatus} ${d.gatewayCode}`,
    ),
    rest: `${restAnswer.status} ${restAnswer.json?.error?.code}`,
    openai: await openai.chat.completions.create({ model, messages: hello }).then(() => 'ok', code),
    anthropic: await anthropic.messages
      .create({ model, max_tokens: 16, messages: hello })
      .then(() => 'ok', code),
    ollama: await ollama.chat({ model, messages: hello }).then(() => 'ok', code),
  };
}

/** The events of one tRPC chat stream (tRPC's own subscription link); rejects on its error. */
function streamed(trpc: ReturnType<typeof createTestClient>, model: string) {
  return new Promise<unknown[]>((resolve, reject) => {
    const seen: unknown[] = [];
    trpc.chat.stream.subscribe(
      { model, messages: hello },
      {
        onData: (e) => seen.push(e),
        onError: reject,
        onComplete: () => resolve(seen),
      },
    );
  });
}

describe("a stored key's model list", () => {
  it('refuses a model outside it with MODEL_NOT_ALLOWED on every door', async () => {
    const doors = await llamaOnEveryDoor(mistralOnly);
    expect(doors.trpc).toBe('403 MODEL_NOT_ALLOWED');
    expect(doors.trpcStream).toBe('403 MODEL_NOT_ALLOWED');
    expect(doors.rest).toBe('403 MODEL_NOT_ALLOWED');
    expect(doors.openai).toBe('403 MODEL_NOT_ALLOWED');
    expect(doors.anthropic).toContain('403');
    expect(doors.anthropic).toContain('MODEL_NOT_ALLOWED');
    expect(doors.ollama).toMatch(/^403/);
    // Embeddings too, and the listed model works.
    const embed = await rest(gw.url, 'POST', '/api/v1/chat/embeddings', {
      key: mistralOnly,
      body: { input: 'x' },
    });
    expect(embed.json?.error?.code).toBe('MODEL_NOT_ALLOWED');
    // Model lists show only the key's models (tRPC, /v1/models, /api/tags).
    const listed = await createTestClient(gw.url, mistralOnly).models.list.query();
    expect(listed.map((m) => m.name)).toEqual(['mistral:latest']);
    const openaiModels = await rest(gw.url, 'GET', '/v1/models', { key: mistralOnly });
    expect(openaiModels.json.data.map((m: { id: string }) => m.id)).toEqual(['mistral:latest']);
    const tags = await rest(gw.url, 'GET', '/api/tags', { key: mistralOnly });
    expect(tags.json.models.map((m: { name: string }) => m.name)).toEqual(['mistral:latest']);
    const ok = await createTestClient(gw.url, mistralOnly).chat.completion.mutate({
      model: 'mistral',
      messages: hello,
    });
    expect(ok.message.content).toContain('echo(mistral)');
  });
});

describe('model fallbacks (llama3.2=mistral) with the llama3.2 upstream down', () => {
  beforeAll(async () => {
    await llamaFake.close();
  });

  it('mistral answers on every door, and says so', async () => {
    const trpc = createTestClient(gw.url, anyModel);
    const one = await trpc.chat.completion.mutate({ model: 'llama3.2', messages: hello });
    expect(one.model).toMatch(/^mistral/);
    expect(one.message.content).toContain('echo(mistral');

    const events = await streamed(trpc, 'llama3.2');
    expect(JSON.stringify(events.at(-1))).toContain('"model":"mistral');

    const restOne = await rest(gw.url, 'POST', '/api/v1/chat/completions', {
      key: anyModel,
      body: { model: 'llama3.2', messages: hello },
    });
    expect(restOne.status).toBe(200);
    expect(restOne.json.model).toMatch(/^mistral/);
    const restStream = await rest(gw.url, 'POST', '/api/v1/chat/completions', {
      key: anyModel,
      body: { model: 'llama3.2', messages: hello, stream: true },
    });
    expect(JSON.stringify(sseFrames(restStream.text).at(-1))).toContain('mistral');

    const openai = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: anyModel, maxRetries: 0 });
    const completion = await openai.chat.completions.create({ model: 'llama3.2', messages: hello });
    expect(completion.model).toMatch(/^mistral/);
    let streamedModel = '';
    const chunks = await openai.chat.completions.create({
      model: 'llama3.2',
      messages: hello,
      stream: true,
    });
    for await (const chunk of chunks) streamedModel = chunk.model;
    expect(streamedModel).toMatch(/^mistral/);

    const anthropic = new Anthropic({ baseURL: gw.url, apiKey: anyModel, maxRetries: 0 });
    const message = await anthropic.messages.create({
      model: 'llama3.2',
      max_tokens: 16,
      messages: hello,
    });
    expect(message.model).toMatch(/^mistral/);

    const ollama = new Ollama({ host: gw.url, headers: { Authorization: `Bearer ${anyModel}` } });
    const chat = await ollama.chat({ model: 'llama3.2', messages: hello });
    expect(chat.model).toMatch(/^mistral/);
    const generated = await ollama.generate({ model: 'llama3.2', prompt: 'hi' });
    expect(generated.model).toMatch(/^mistral/);
    const embedded = await ollama.embed({ model: 'nomic-embed-text', input: 'vector' });
    expect(embedded.model).toMatch(/^all-minilm/);

    // Usage names the model that served.
    const byModel = async () => {
      const usage = await createTestClient(gw.url, 'adm').usage.summary.query({ groupBy: 'model' });
      return Object.fromEntries(usage.rows.map((r) => [r.group, r.requests]));
    };
    await expect.poll(byModel, { timeout: 3000 }).toMatchObject({ 'all-minilm': 1 });
    expect((await byModel()).mistral).toBeGreaterThanOrEqual(9);
  });

  it('never to a model outside the caller’s list: llama-only gets UPSTREAM_UNAVAILABLE', async () => {
    const failure = await failureOf(
      createTestClient(gw.url, llamaOnly).chat.completion.mutate({
        model: 'llama3.2',
        messages: hello,
      }),
    );
    expect(failure.gatewayCode).toBe('UPSTREAM_UNAVAILABLE');
  });
});

describe("a stored key's budget under concurrency", () => {
  it('requests started together reserve their estimate: they cannot all start on the last tokens', async () => {
    const admin = createTestClient(gw.url, 'adm');
    // Each chat without num_predict is estimated at its prompt plus 256 answer tokens, so a
    // 1000-token budget admits about four at once; without reservations all ten would start.
    const { key } = await admin.keys.create.mutate({
      name: 'budgeted',
      models: ['mistral'],
      budget: { tokens: 1000, period: 'day' },
    });
    const client = createTestClient(gw.url, key);
    const chat = () => client.chat.completion.mutate({ model: 'mistral', messages: hello });
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, chat));
    const answered = outcomes.filter((o) => o.status === 'fulfilled').length;
    const refused = outcomes.flatMap((o) =>
      o.status === 'rejected' ? [errorData(o.reason).gatewayCode] : [],
    );
    expect(answered).toBeGreaterThanOrEqual(1);
    expect(answered).toBeLessThanOrEqual(4);
    expect(refused).toEqual(Array(10 - answered).fill('BUDGET_EXCEEDED'));
    // Settled answers charge their real (small) counts: the reservations are given back.
    const again = await chat();
    expect(again.message.content).toContain('echo(mistral)');
  });
});
