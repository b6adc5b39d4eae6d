// Starts a real fake-Ollama HTTP server on 127.0.0.1 behind the full gateway service with a
// memory response cache: an answer cached from a stream serves plain calls and vice versa, whole.
import {
  type FakeOllama,
  fakeChatReply,
  fakeGenerateReply,
  fakeReplyChunks,
  startFakeOllama,
} from '@intellicore/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MemoryResponseCache } from '../src/cache/memory-response-cache.js';
import { createOllamaUpstreams } from '../src/providers/ollama/upstreams.js';
import type { RequestContext } from '../src/service/context.js';
import {
  createGatewayService,
  type GatewayServiceWithPool,
} from '../src/service/gateway-service-impl.js';
import type { ChatStreamEvent, GenerateStreamEvent } from '../src/types.js';
import { drain } from './ollama-helpers.js';

let fake: FakeOllama;
let service: GatewayServiceWithPool;
const ctx: RequestContext = { caller: { keyId: 'key_a', admin: false }, door: 'ollama' };
const policy = {
  allowedModels: ['llama3.2'],
  defaultChatModel: 'llama3.2',
  defaultEmbeddingModel: 'llama3.2',
};
const upstreamCalls = (path: string) => fake.journal.entries().filter((e) => e.path === path);
const chatText = (events: ChatStreamEvent[]) => events.map((e) => e.message.content).join('');
const generateText = (events: GenerateStreamEvent[]) => events.map((e) => e.response).join('');

beforeAll(async () => {
  fake = await startFakeOllama();
  service = createGatewayService({
    upstreams: createOllamaUpstreams([fake.url]),
    policy,
    cache: new MemoryResponseCache({ maxBytes: 1_000_000 }),
  });
});
afterAll(async () => {
  await service.close();
  await fake.close();
});
beforeEach(() => fake.journal.clear());

describe('chat', () => {
  it('streamed first: a plain call gets the whole answer, a stream replays the deltas', async () => {
    const request = {
      messages: [{ role: 'user' as const, content: 'hi there' }],
      options: { seed: 1 },
    };
    const expected = fakeChatReply(request.messages, 'llama3.2');
    const live = await drain(service.chatStream(request, ctx));
    expect(chatText(live.items)).toBe(expected);

    const plain = await service.chat(request, ctx);
    expect(plain.message.content).toBe(expected);
    expect(plain.cached).toBe(true);
    expect(plain.upstream).toBeUndefined(); // the first delivery's facts are not the cache's
    expect(plain.ttftMs).toBeGreaterThanOrEqual(0);

    const replay = await drain(service.chatStream(request, ctx));
    expect(replay.items.map((e) => e.message.content)).toEqual(
      live.items.map((e) => e.message.content),
    );
    const final = replay.items.at(-1);
    expect(final).toMatchObject({ done: true, cached: true });
    expect(final?.done && final.upstream).toBeUndefined();
    expect(final?.done && final.ttftMs).toBeGreaterThanOrEqual(0);
    expect(upstreamCalls('/api/chat')).toHaveLength(1);
  });

  it('plain first: a stream replays the whole answer and folds back to it', async () => {
    const request = {
      messages: [{ role: 'user' as const, content: 'plain then stream' }],
      options: { temperature: 0 },
    };
    const expected = fakeChatReply(request.messages, 'llama3.2');
    const plain = await service.chat(request, ctx);
    expect(plain.message.content).toBe(expected);
    const replay = await drain(service.chatStream(request, ctx));
    expect(replay.error).toBeUndefined();
    expect(chatText(replay.items.filter((e) => !e.done))).toBe(expected); // deltas carry the text
    expect(replay.items.at(-1)).toMatchObject({ done: true, cached: true });
    expect((await service.chat(request, ctx)).message.content).toBe(expected);
    expect(upstreamCalls('/api/chat')).toHaveLength(1);
  });
});

describe('generate', () => {
  it('streamed first, then plain and streamed again: the whole answer each time', async () => {
    const request = { prompt: 'generate me once', options: { seed: 7 } };
    const expected = fakeGenerateReply(request.prompt, 'llama3.2');
    const live = await drain(service.generateStream(request, ctx));
    expect(generateText(live.items)).toBe(expected);
    const plain = await service.generate(request, ctx);
    expect(plain).toMatchObject({ response: expected, cached: true });
    expect(plain.upstream).toBeUndefined();
    const replay = await drain(service.generateStream(request, ctx));
    expect(replay.items.filter((e) => !e.done).map((e) => e.response)).toEqual(
      fakeReplyChunks(expected),
    );
    expect(replay.items.at(-1)).toMatchObject({ done: true, cached: true });
    expect(upstreamCalls('/api/generate')).toHaveLength(1);
  });

  it('plain first: the stream carries the whole answer', async () => {
    const request = { prompt: 'plain generate first', options: { temperature: 0 } };
    const expected = fakeGenerateReply(request.prompt, 'llama3.2');
    expect((await service.generate(request, ctx)).response).toBe(expected);
    const replay = await drain(service.generateStream(request, ctx));
    expect(generateText(replay.items.filter((e) => !e.done))).toBe(expected);
    expect(replay.items.at(-1)).toMatchObject({ done: true, cached: true, response: '' });
    expect(upstreamCalls('/api/generate')).toHaveLength(1);
  });
});
