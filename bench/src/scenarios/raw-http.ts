import type { HttpClient } from '../http-client.js';
import { CHAT_MODEL, EMBED_MODEL } from '../processes/fake.js';
import { FIXED_PROMPT, type Scenario, type Targets, uniquePrompt } from './types.js';

/**
 * Scenarios that use the bench's own keep-alive HTTP client on every side: the direct, floor and
 * gateway requests differ only in the base URL (and, for the gateway's other doors, in the path
 * and body format), so "added latency" is the gateway alone.
 */

const chatBody = (stream: boolean, prompt = uniquePrompt()) =>
  JSON.stringify({ model: CHAT_MODEL, messages: [{ role: 'user', content: prompt }], stream });

/** A tRPC call's input is the plain JSON body (the gateway's tRPC wire has no transformer). */
const trpcChatBody = (prompt = uniquePrompt(), options?: Record<string, unknown>) =>
  JSON.stringify({
    model: CHAT_MODEL,
    messages: [{ role: 'user', content: prompt }],
    ...(options ? { options } : {}),
  });

const isNdjsonDone = (body: string) => body.includes('"done":true');
const isSseDone = (body: string) => body.includes('data: [DONE]');
/** The gateway's POST streams end after the `{"type":"done"}` event. */
const isTrpcPostDone = (body: string) => body.includes('"type":"done"');
/** tRPC's GET SSE ends a subscription with `event: return`. */
const isTrpcSseDone = (body: string) =>
  body.includes('event: return') && body.includes('"type":"done"');

const inputs = (n: number) => Array.from({ length: n }, (_, i) => `${uniquePrompt()} item ${i}`);
const streamPrompt = () => `${uniquePrompt()} in chunks`;

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
  /** The same request straight at the fake and through the floor proxy. */
  const forwarded = (path: string, body: () => string) => ({
    direct: (t: Targets) => post(t.fakeUrl, path, body),
    floor: (t: Targets) => post(t.floorUrl, path, body),
  });
  const forwardedStream = (path: string, body: () => string, done: (b: string) => boolean) => ({
    direct: (t: Targets) => stream(t.fakeUrl, path, body, done),
    floor: (t: Targets) => stream(t.floorUrl, path, body, done),
  });
  const embed32Direct = () => JSON.stringify({ model: EMBED_MODEL, input: inputs(32) });

  return [
    {
      id: 'chat-api',
      title: 'chat, non-stream, POST /api/chat',
      kind: 'request',
      concurrency: [1, 16, 64],
      ...forwarded('/api/chat', () => chatBody(false)),
      gateway: (t) => post(t.gatewayUrl, '/api/chat', () => chatBody(false)),
    },
    {
      // Same as chat-api with OpenTelemetry on: a server span and its child spans per request,
      // batched and exported as OTLP http/json (to the fake, which answers 404: the export is
      // paid in full, nothing is kept). chat-api in the same run is the "off" side.
      id: 'chat-api-traced',
      title: 'chat, non-stream, POST /api/chat, tracing on (OTLP http/json export)',
      kind: 'request',
      concurrency: [1, 64],
      gatewayEnv: (fakeUrl) => ({
        OTEL_EXPORTER_OTLP_ENDPOINT: fakeUrl,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      }),
      ...forwarded('/api/chat', () => chatBody(false)),
      gateway: (t) => post(t.gatewayUrl, '/api/chat', () => chatBody(false)),
    },
    {
      id: 'chat-v1',
      title: 'chat, non-stream, POST /v1/chat/completions',
      kind: 'request',
      concurrency: [1, 16, 64],
      ...forwarded('/v1/chat/completions', () => chatBody(false)),
      gateway: (t) => post(t.gatewayUrl, '/v1/chat/completions', () => chatBody(false)),
    },
    {
      id: 'chat-trpc',
      title: 'chat, non-stream: gateway POST /trpc/chat.completion vs fake /api/chat',
      kind: 'request',
      concurrency: [1, 16, 64],
      ...forwarded('/api/chat', () => chatBody(false)),
      gateway: (t) => post(t.gatewayUrl, '/trpc/chat.completion', () => trpcChatBody()),
    },
    {
      id: 'stream-api',
      title: 'chat stream, /api/chat NDJSON, 5 ms between chunks (TTFT and total)',
      kind: 'stream',
      concurrency: [1, 16],
      chunkDelayMs: 5,
      ...forwardedStream('/api/chat', () => chatBody(true, streamPrompt()), isNdjsonDone),
      gateway: (t) =>
        stream(t.gatewayUrl, '/api/chat', () => chatBody(true, streamPrompt()), isNdjsonDone),
    },
    {
      id: 'stream-v1',
      title: 'chat stream, /v1/chat/completions SSE, 5 ms between chunks',
      kind: 'stream',
      concurrency: [1, 16],
      chunkDelayMs: 5,
      ...forwardedStream('/v1/chat/completions', () => chatBody(true, streamPrompt()), isSseDone),
      gateway: (t) =>
        stream(
          t.gatewayUrl,
          '/v1/chat/completions',
          () => chatBody(true, streamPrompt()),
          isSseDone,
        ),
    },
    {
      id: 'stream-trpc',
      title:
        'chat stream, 5 ms chunks: gateway POST /trpc/chat.stream (SSE) vs fake /api/chat NDJSON',
      kind: 'stream',
      concurrency: [1, 16],
      chunkDelayMs: 5,
      ...forwardedStream('/api/chat', () => chatBody(true, streamPrompt()), isNdjsonDone),
      gateway: (t) =>
        stream(
          t.gatewayUrl,
          '/trpc/chat.stream',
          () => trpcChatBody(streamPrompt()),
          isTrpcPostDone,
        ),
    },
    {
      id: 'stream-trpc-get',
      title:
        "chat stream, 5 ms chunks: tRPC's own GET SSE subscription (compatibility path) vs fake /api/chat",
      kind: 'stream',
      concurrency: [1],
      chunkDelayMs: 5,
      direct: (t) =>
        stream(t.fakeUrl, '/api/chat', () => chatBody(true, streamPrompt()), isNdjsonDone),
      gateway: (t) => () => {
        const input = trpcChatBody(streamPrompt());
        const url = new URL(`/trpc/chat.stream?input=${encodeURIComponent(input)}`, t.gatewayUrl);
        return http.getStream(url, isTrpcSseDone);
      },
    },
    {
      id: 'embed-1',
      title: 'embeddings, 1 input, POST /api/embed (768 dims)',
      kind: 'request',
      concurrency: [1, 16, 64],
      ...forwarded('/api/embed', () => JSON.stringify({ model: EMBED_MODEL, input: inputs(1) })),
      gateway: (t) =>
        post(t.gatewayUrl, '/api/embed', () =>
          JSON.stringify({ model: EMBED_MODEL, input: inputs(1) }),
        ),
    },
    {
      id: 'embed32-api',
      title: 'embeddings, batch of 32, POST /api/embed (768 dims)',
      kind: 'request',
      concurrency: [1, 16],
      ...forwarded('/api/embed', embed32Direct),
      gateway: (t) => post(t.gatewayUrl, '/api/embed', embed32Direct),
    },
    {
      id: 'embed32-v1',
      title: 'embeddings, batch of 32: gateway POST /v1/embeddings vs fake /api/embed',
      kind: 'request',
      concurrency: [1, 16],
      ...forwarded('/api/embed', embed32Direct),
      gateway: (t) =>
        post(t.gatewayUrl, '/v1/embeddings', () =>
          JSON.stringify({ model: EMBED_MODEL, input: inputs(32) }),
        ),
    },
    {
      id: 'embed32-trpc',
      title: 'embeddings, batch of 32: gateway POST /trpc/chat.embedBatch vs fake /api/embed',
      kind: 'request',
      concurrency: [1, 16],
      ...forwarded('/api/embed', embed32Direct),
      gateway: (t) =>
        post(t.gatewayUrl, '/trpc/chat.embedBatch', () =>
          JSON.stringify({ model: EMBED_MODEL, inputs: inputs(32) }),
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
        const body = trpcChatBody(FIXED_PROMPT, { temperature: 0 });
        await http.postJson(url, body);
        const second = await http.postJson(url, body);
        return second.includes('"cached":true')
          ? undefined
          : 'the gateway did not answer a repeated request from its cache (CACHE_TTL_SECONDS=3600)';
      },
      direct: (t) => post(t.fakeUrl, '/api/chat', () => chatBody(false, FIXED_PROMPT)),
      gateway: (t) => {
        const url = new URL('/trpc/chat.completion', t.gatewayUrl);
        const body = trpcChatBody(FIXED_PROMPT, { temperature: 0 });
        return async () => {
          const text = await http.postJson(url, body);
          if (!text.includes('"cached":true')) throw new Error('not a cache hit');
          return undefined;
        };
      },
    },
  ];
}
