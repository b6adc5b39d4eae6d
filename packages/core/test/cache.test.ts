import { describe, expect, it } from 'vitest';
import { type CacheKeyInput, cacheKey } from '../src/cache/cache-key.js';
import { isCacheable } from '../src/cache/cacheable.js';
import { canonicalJson } from '../src/cache/canonical-json.js';
import { MemoryResponseCache } from '../src/cache/memory-response-cache.js';
import { cachedResult, replayCachedStream, toCachedResponse } from '../src/cache/replay.js';
import type { CachedResponse } from '../src/service/hooks.js';
import { aggregateChat, aggregateGenerate } from '../src/streams/aggregate.js';
import type {
  ChatRequest,
  ChatResult,
  ChatStreamEvent,
  GenerateStreamEvent,
} from '../src/types.js';

const chat: ChatRequest = {
  model: 'fast',
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Hello' },
  ],
  options: { temperature: 0, top_p: 0.9, num_ctx: 4096 },
  format: 'json',
};

const base: CacheKeyInput = {
  operation: 'chat',
  request: chat,
  model: 'llama3.2:latest',
  modelDigest: 'sha256:aaaa',
  template: { id: 'greeting', version: 3 },
  keyId: 'key_1',
};

describe('cacheKey', () => {
  const key = cacheKey(base);

  it('is a sha256 hex digest', () => {
    expect(key).toMatch(/^[0-9a-f]{64}$/);
  });

  const variants: [string, CacheKeyInput][] = [
    ['model digest', { ...base, modelDigest: 'sha256:bbbb' }],
    ['unknown digest', { ...base, modelDigest: undefined }],
    ['resolved model', { ...base, model: 'llama3.2:1b' }],
    ['operation', { ...base, operation: 'generate' }],
    [
      'an option value',
      { ...base, request: { ...chat, options: { ...chat.options, top_p: 0.8 } } },
    ],
    [
      'an added option',
      { ...base, request: { ...chat, options: { ...chat.options, stop: ['\n'] } } },
    ],
    ['format', { ...base, request: { ...chat, format: { type: 'object' } } }],
    ['no format', { ...base, request: { ...chat, format: undefined } }],
    [
      'message text',
      {
        ...base,
        request: { ...chat, messages: [chat.messages[0]!, { role: 'user', content: 'Hello!' }] },
      },
    ],
    ['message order', { ...base, request: { ...chat, messages: [...chat.messages].reverse() } }],
    [
      'message role',
      {
        ...base,
        request: {
          ...chat,
          messages: [chat.messages[0]!, { role: 'assistant', content: 'Hello' }],
        },
      },
    ],
    [
      'tools',
      { ...base, request: { ...chat, tools: [{ type: 'function', function: { name: 'f' } }] } },
    ],
    ['think', { ...base, request: { ...chat, think: true } }],
    ['template version', { ...base, template: { id: 'greeting', version: 4 } }],
    ['template id', { ...base, template: { id: 'farewell', version: 3 } }],
    ['no template', { ...base, template: undefined }],
    ['tenant', { ...base, keyId: 'key_2' }],
    ['anonymous tenant', { ...base, keyId: null }],
    ['sharing across keys', { ...base, sharedAcrossKeys: true }],
  ];
  it.each(variants)('differs when the %s differs', (_name, variant) => {
    expect(cacheKey(variant)).not.toBe(key);
  });

  it('is equal for canonical-equivalent inputs (key order, undefined members, alias, keepAlive)', () => {
    const reordered: ChatRequest = {
      format: 'json',
      options: { num_ctx: 4096, top_p: 0.9, temperature: 0, seed: undefined },
      messages: [
        { content: 'Be brief.', role: 'system' },
        { content: 'Hello', role: 'user' },
      ],
      model: 'llama3.2',
      keepAlive: '10m',
    };
    expect(
      cacheKey({
        keyId: 'key_1',
        template: { version: 3, id: 'greeting' },
        modelDigest: 'sha256:aaaa',
        model: 'llama3.2:latest',
        request: reordered,
        operation: 'chat',
      }),
    ).toBe(key);
  });

  it('is shared across API keys only when configured', () => {
    const shared = (keyId: string | null) => cacheKey({ ...base, keyId, sharedAcrossKeys: true });
    expect(shared('key_1')).toBe(shared('key_2'));
    expect(shared('key_1')).toBe(shared(null));
  });

  it('covers embeddings input and its options', () => {
    const embed = (input: string | string[], dimensions?: number): string =>
      cacheKey({
        ...base,
        operation: 'embed',
        template: undefined,
        request: { input, dimensions },
      });
    expect(embed(['a', 'b'])).not.toBe(embed(['b', 'a']));
    expect(embed('a')).not.toBe(embed(['a']));
    expect(embed('a', 256)).not.toBe(embed('a'));
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { f: 1, e: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[3,{"e":2,"f":1}]},"b":1}',
    );
  });
});

describe('isCacheable', () => {
  const msg = [{ role: 'user' as const, content: 'hi' }];
  const tools = [{ type: 'function' as const, function: { name: 'lookup' } }];
  it('always caches embeddings', () => {
    expect(isCacheable('embed', { input: 'x' })).toBe(true);
  });
  it('caches chat/generate only when deterministic', () => {
    expect(isCacheable('chat', { messages: msg })).toBe(false);
    expect(isCacheable('chat', { messages: msg, options: { temperature: 0.7 } })).toBe(false);
    expect(isCacheable('chat', { messages: msg, options: { temperature: 0 } })).toBe(true);
    expect(isCacheable('chat', { messages: msg, options: { temperature: 0.7, seed: 42 } })).toBe(
      true,
    );
    expect(isCacheable('generate', { prompt: 'x', options: { seed: 0 } })).toBe(true);
    expect(isCacheable('generate', { prompt: 'x' })).toBe(false);
  });
  it('does not cache tool calls unless asked', () => {
    const request = { messages: msg, tools, options: { temperature: 0 } };
    expect(isCacheable('chat', request)).toBe(false);
    expect(isCacheable('chat', request, { cacheToolCalls: true })).toBe(true);
    expect(isCacheable('chat', { ...request, tools: [] })).toBe(true);
  });
});

function entry(text: string): CachedResponse {
  return { operation: 'embed', result: { text }, storedAt: 0 };
}

describe('MemoryResponseCache', () => {
  // Every entry below has the same size; measure it instead of guessing the overhead.
  const oneEntryBytes = (() => {
    const probe = new MemoryResponseCache({ maxBytes: 1e9 });
    void probe.set('k0', entry('x'.repeat(100)), 60);
    return probe.stats().bytes;
  })();

  it('evicts the least recently used entries by bytes, never exceeding the bound', async () => {
    const cache = new MemoryResponseCache({ maxBytes: oneEntryBytes * 3 });
    for (const k of ['k1', 'k2', 'k3']) await cache.set(k, entry(k[1]!.repeat(100)), 60);
    expect(cache.stats().entries).toBe(3);
    expect(await cache.get('k1')).toBeDefined(); // k1 is now the most recent
    await cache.set('k4', entry('4'.repeat(100)), 60);
    expect(await cache.get('k2')).toBeUndefined();
    expect(await cache.get('k1')).toBeDefined();
    expect(await cache.get('k3')).toBeDefined();
    expect(cache.stats().bytes).toBeLessThanOrEqual(oneEntryBytes * 3);

    // One big entry pushes out as many small ones as its size needs.
    await cache.set('big', entry('B'.repeat(100 + oneEntryBytes)), 60);
    const stats = cache.stats();
    expect(stats.entries).toBe(1);
    expect(stats.bytes).toBeLessThanOrEqual(oneEntryBytes * 3);
    expect(stats.evictions).toBe(4);
  });

  it('does not store an entry larger than the whole cache', async () => {
    const cache = new MemoryResponseCache({ maxBytes: oneEntryBytes });
    await cache.set('k1', entry('x'.repeat(100)), 60);
    await cache.set('huge', entry('x'.repeat(10 * oneEntryBytes)), 60);
    expect(await cache.get('huge')).toBeUndefined();
    expect(await cache.get('k1')).toBeDefined(); // exactly the bound fits
  });

  it('expires entries after their TTL', async () => {
    let now = 0;
    const cache = new MemoryResponseCache({ maxBytes: 1e6, now: () => now });
    await cache.set('k', entry('v'), 10);
    now = 9_999;
    expect(await cache.get('k')).toBeDefined();
    now = 10_000;
    expect(await cache.get('k')).toBeUndefined();
    expect(cache.stats().bytes).toBe(0);
  });

  it('counts hits and misses and hands out copies', async () => {
    const events: string[] = [];
    const cache = new MemoryResponseCache({ maxBytes: 1e6, onEvent: (e) => events.push(e) });
    expect(await cache.get('k')).toBeUndefined();
    await cache.set('k', entry('v'), 60);
    const first = await cache.get('k');
    (first!.result as { text: string }).text = 'mutated';
    expect(((await cache.get('k'))!.result as { text: string }).text).toBe('v');
    expect(cache.stats()).toMatchObject({ hits: 2, misses: 1, writes: 1 });
    expect(events).toEqual(['miss', 'write', 'hit', 'hit']);
  });
});

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of iterable) out.push(x);
  return out;
}

describe('cached streams', () => {
  const at = '2026-01-01T00:00:00Z';
  const streamed: ChatStreamEvent[] = [
    { done: false, model: 'm', createdAt: at, message: { role: 'assistant', content: 'Hel' } },
    { done: false, model: 'm', createdAt: at, message: { role: 'assistant', content: 'lo' } },
    {
      done: true,
      model: 'm',
      createdAt: at,
      message: { role: 'assistant', content: '' },
      doneReason: 'stop',
      metrics: { evalCount: 2 },
      upstream: 'u1',
      ttftMs: 5,
    },
  ];

  it('replays a streamed answer as the same stream, final event marked cached', async () => {
    const full = await aggregateChat(
      (async function* () {
        yield* streamed;
      })(),
    );
    const stored = JSON.parse(
      JSON.stringify(toCachedResponse('chat', full, streamed)),
    ) as CachedResponse;
    expect(stored.chunks).toHaveLength(2);
    const replay = await collect(replayCachedStream<ChatStreamEvent>(stored));
    expect(replay.slice(0, 2)).toEqual(streamed.slice(0, 2));
    const final = replay[2] as ChatResult;
    expect(final).toMatchObject({
      done: true,
      cached: true,
      doneReason: 'stop',
      metrics: { evalCount: 2 },
    });
    expect(final.upstream).toBeUndefined();
    expect((await aggregateChat(replayCachedStream(stored))).message.content).toBe('Hello');
    expect(cachedResult<ChatResult>(stored)).toMatchObject({
      cached: true,
      message: { content: 'Hello' },
    });
  });

  it('replays an answer stored from a non-stream call as one delta', async () => {
    const result = {
      done: true,
      model: 'm',
      createdAt: at,
      response: 'All of it',
      thinking: 'hmm',
      metrics: {},
    };
    const stored = toCachedResponse('generate', result);
    const replay = await collect(replayCachedStream<GenerateStreamEvent>(stored));
    expect(replay).toHaveLength(2);
    expect(replay[0]).toMatchObject({ done: false, response: 'All of it', thinking: 'hmm' });
    expect(replay[1]).toMatchObject({ done: true, response: '', cached: true });
    const folded = await aggregateGenerate(
      (async function* () {
        yield* replay;
      })(),
    );
    expect(folded).toMatchObject({ response: 'All of it', thinking: 'hmm', cached: true });
  });
});
