import type { HttpClient } from '../http-client.js';
import { CHAT_MODEL, EMBED_MODEL } from '../processes/fake.js';
import { FIXED_PROMPT, type Scenario, uniquePrompt } from './types.js';

/**
 * Scenarios that use the bench's own keep-alive HTTP client on both sides: the direct and the
 * gateway request differ only in the base URL, so "added latency" is the gateway alone.
 */

const chatBody = (stream: boolean, prompt = uniquePrompt()) =>
  JSON.stringify({ model: CHAT_MODEL, messages: [{ role: 'user', content: prompt }], stream });

/**
 * A tRPC mutation as one plain POST (no batching), input in superjson's envelope; deterministic
 * (temperature 0), as only deterministic requests are cacheable.
 */
const trpcDeterministicChatBody = (prompt: string) =>
  JSON.stringify({
    json: {
      model: CHAT_MODEL,
      messages: [{ role: 'user', content: prompt }],
      options: { temperature: 0 },
    },
  });

const isNdjsonDone = (body: string) => body.includes('"done":true');
const isSseDone = (body: string) => body.includes('data: [DONE]');
/** tRPC ends a subscription with `event: return`; the last data event is `{"type":"done"}`. */
const isTrpcSseDone = (body: string) =>
  body.includes('event: return') && body.includes('"type":"done"');

const inputs = (n: number) => Array.from({ length: n }, (_, i) => `${uniquePrompt()} item ${i}`);

export function rawHttpScenarios(http: HttpClient): Scenario[] {
  const post = (base: string, path: string, body: () => string) => {
    const url = new URL(path, base);
    return async () => {
      await http.postJson(url, body());
      return undefined;
    };
  };
  const stream = (base: string, path: string, body: () => string, done: (b: string) => boolean) => {
    const url = new URL(path, base);
    return () => http.postStream(url, body(), done);
  };
  const streamPrompt = () => `${uniquePrompt()} in chunks`;

  return [
    {
      id: 'chat-api',
      title: 'chat, non-stream, POST /api/chat (bench HTTP client both sides)',
      kind: 'request',
      concurrency: [1, 16, 64],
      targets: ['cpu', 'latency', 'throughput'],
      direct: (t) => post(t.fakeUrl, '/api/chat', () => chatBody(false)),
      gateway: (t) => post(t.gatewayUrl, '/api/chat', () => chatBody(false)),
    },
    {
      id: 'chat-v1',
      title: 'chat, non-stream, POST /v1/chat/completions (bench HTTP client both sides)',
      kind: 'request',
      concurrency: [1, 16, 64],
      targets: ['cpu', 'latency', 'throughput'],
      direct: (t) => post(t.fakeUrl, '/v1/chat/completions', () => chatBody(false)),
      gateway: (t) => post(t.gatewayUrl, '/v1/chat/completions', () => chatBody(false)),
    },
    {
      id: 'stream-api',
      title: 'chat stream, /api/chat NDJSON, 5 ms between chunks (TTFT and total)',
      kind: 'stream',
      concurrency: [1, 16],
      chunkDelayMs: 5,
      targets: ['ttft'],
      direct: (t) =>
        stream(t.fakeUrl, '/api/chat', () => chatBody(true, streamPrompt()), isNdjsonDone),
      gateway: (t) =>
        stream(t.gatewayUrl, '/api/chat', () => chatBody(true, streamPrompt()), isNdjsonDone),
    },
    {
      id: 'stream-v1',
      title: 'chat stream, /v1/chat/completions SSE, 5 ms between chunks',
      kind: 'stream',
      concurrency: [1, 16],
      chunkDelayMs: 5,
      targets: ['ttft'],
      direct: (t) =>
        stream(t.fakeUrl, '/v1/chat/completions', () => chatBody(true, streamPrompt()), isSseDone),
      gateway: (t) =>
        stream(
          t.gatewayUrl,
          '/v1/chat/completions',
          () => chatBody(true, streamPrompt()),
          isSseDone,
        ),
    },
    {
      id: 'stream-trpc-sse',
      title:
        'chat stream, 5 ms chunks: gateway tRPC subscription chat.stream as raw SSE (GET) vs fake /api/chat NDJSON, bench HTTP client both sides',
      kind: 'stream',
      concurrency: [1, 16],
      chunkDelayMs: 5,
      targets: ['ttft'],
      direct: (t) =>
        stream(t.fakeUrl, '/api/chat', () => chatBody(true, streamPrompt()), isNdjsonDone),
      gateway: (t) => () => {
        const input = JSON.stringify({
          json: { model: CHAT_MODEL, messages: [{ role: 'user', content: streamPrompt() }] },
        });
        const url = new URL(`/trpc/chat.stream?input=${encodeURIComponent(input)}`, t.gatewayUrl);
        return http.getStream(url, isTrpcSseDone);
      },
    },
    {
      id: 'embed-1',
      title: 'embeddings, 1 input, POST /api/embed (768 dims)',
      kind: 'request',
      concurrency: [1, 16, 64],
      direct: (t) =>
        post(t.fakeUrl, '/api/embed', () =>
          JSON.stringify({ model: EMBED_MODEL, input: inputs(1) }),
        ),
      gateway: (t) =>
        post(t.gatewayUrl, '/api/embed', () =>
          JSON.stringify({ model: EMBED_MODEL, input: inputs(1) }),
        ),
    },
    {
      id: 'embed-32',
      title: 'embeddings, batch of 32, POST /api/embed (768 dims)',
      kind: 'request',
      concurrency: [1, 16],
      direct: (t) =>
        post(t.fakeUrl, '/api/embed', () =>
          JSON.stringify({ model: EMBED_MODEL, input: inputs(32) }),
        ),
      gateway: (t) =>
        post(t.gatewayUrl, '/api/embed', () =>
          JSON.stringify({ model: EMBED_MODEL, input: inputs(32) }),
        ),
    },
    {
      id: 'cache-hit',
      title:
        'chat cache hit: gateway POST /trpc/chat.completion, same request repeated, every answer checked `cached` (direct = fake /api/chat answering)',
      kind: 'request',
      concurrency: [1, 64],
      gatewayEnv: { CACHE_TTL_SECONDS: '3600' },
      async unavailable(t) {
        const url = new URL('/trpc/chat.completion', t.gatewayUrl);
        await http.postJson(url, trpcDeterministicChatBody(FIXED_PROMPT));
        const second = await http.postJson(url, trpcDeterministicChatBody(FIXED_PROMPT));
        return second.includes('"cached":true')
          ? undefined
          : 'the gateway did not answer a repeated request from its cache (CACHE_TTL_SECONDS=3600)';
      },
      direct: (t) => post(t.fakeUrl, '/api/chat', () => chatBody(false, FIXED_PROMPT)),
      gateway: (t) => {
        const url = new URL('/trpc/chat.completion', t.gatewayUrl);
        const body = trpcDeterministicChatBody(FIXED_PROMPT);
        return async () => {
          const text = await http.postJson(url, body);
          if (!text.includes('"cached":true')) throw new Error('not a cache hit');
          return undefined;
        };
      },
    },
  ];
}
