import { performance } from 'node:perf_hooks';
import { chatStream, createGatewayClient, type GatewayClient } from '@intellicore/llm-client';
import { Ollama } from 'ollama';
import OpenAI from 'openai';
import { CHAT_MODEL, EMBED_MODEL } from '../processes/fake.js';
import { type Scenario, uniquePrompt } from './types.js';

/**
 * Scenarios through the official clients. The openai SDK row uses the same client on both
 * sides. The SDK rows compare the gateway's own SDK (mutations as one POST each, streams as a
 * POST answered with SSE) with the `ollama` npm client straight at the fake — what a user
 * switching to the gateway gets — so their "added" also contains the difference between the two
 * clients.
 */

const message = (content: string) => [{ role: 'user' as const, content }];
const streamPrompt = () => `${uniquePrompt()} in chunks`;
const inputs = (n: number) => Array.from({ length: n }, (_, i) => `${uniquePrompt()} item ${i}`);

/** One client per base URL, created lazily (a scenario builds its operations once per row). */
function memo<T>(make: (url: string) => T): (url: string) => T {
  const made = new Map<string, T>();
  return (url) => {
    let value = made.get(url);
    if (!value) {
      value = make(url);
      made.set(url, value);
    }
    return value;
  };
}

const ollama = memo((host: string) => new Ollama({ host }));
const openai = memo(
  (url: string) => new OpenAI({ baseURL: `${url}/v1`, apiKey: 'bench', maxRetries: 0 }),
);
const gatewayClient = memo((url: string): GatewayClient => createGatewayClient({ url }));

/** Streams through the SDK's `chatStream`; resolves at the end with the first-token instant. */
async function sdkStream(client: GatewayClient): Promise<number> {
  let firstTokenAt: number | undefined;
  const stream = chatStream(client, { model: CHAT_MODEL, messages: message(streamPrompt()) });
  for await (const text of stream) {
    if (firstTokenAt === undefined && text) firstTokenAt = performance.now();
  }
  await stream.result;
  if (firstTokenAt === undefined) throw new Error('chatStream carried no tokens');
  return firstTokenAt;
}

export function sdkScenarios(): Scenario[] {
  return [
    {
      id: 'chat-openai-sdk',
      title: 'chat, non-stream, openai SDK → /v1/chat/completions (same client both sides)',
      kind: 'request',
      concurrency: [1, 16, 64],
      direct: (t) => async () => {
        await openai(t.fakeUrl).chat.completions.create({
          model: CHAT_MODEL,
          messages: message(uniquePrompt()),
        });
        return undefined;
      },
      gateway: (t) => async () => {
        await openai(t.gatewayUrl).chat.completions.create({
          model: CHAT_MODEL,
          messages: message(uniquePrompt()),
        });
        return undefined;
      },
    },
    {
      id: 'chat-trpc-sdk',
      title: 'chat, non-stream: gateway SDK chat.completion vs ollama npm client direct',
      kind: 'request',
      concurrency: [1, 16, 64],
      direct: (t) => async () => {
        await ollama(t.fakeUrl).chat({ model: CHAT_MODEL, messages: message(uniquePrompt()) });
        return undefined;
      },
      gateway: (t) => async () => {
        await gatewayClient(t.gatewayUrl).chat.completion.mutate({
          model: CHAT_MODEL,
          messages: message(uniquePrompt()),
        });
        return undefined;
      },
    },
    {
      id: 'stream-trpc-sdk',
      title:
        'chat stream, 5 ms chunks: gateway SDK chatStream (POST, SSE) vs ollama npm stream direct',
      kind: 'stream',
      concurrency: [1, 16],
      chunkDelayMs: 5,
      direct: (t) => async () => {
        let firstTokenAt: number | undefined;
        const stream = await ollama(t.fakeUrl).chat({
          model: CHAT_MODEL,
          messages: message(streamPrompt()),
          stream: true,
        });
        for await (const part of stream) {
          if (firstTokenAt === undefined && part.message.content) firstTokenAt = performance.now();
        }
        if (firstTokenAt === undefined) throw new Error('ollama stream carried no tokens');
        return firstTokenAt;
      },
      gateway: (t) => () => sdkStream(gatewayClient(t.gatewayUrl)),
    },
    {
      id: 'embed-trpc-sdk',
      title: 'embeddings, 1 input: gateway SDK chat.embed vs ollama npm embed direct',
      kind: 'request',
      concurrency: [1, 16],
      direct: (t) => async () => {
        await ollama(t.fakeUrl).embed({ model: EMBED_MODEL, input: inputs(1) });
        return undefined;
      },
      gateway: (t) => async () => {
        await gatewayClient(t.gatewayUrl).chat.embed.mutate({
          model: EMBED_MODEL,
          input: inputs(1)[0]!,
        });
        return undefined;
      },
    },
    {
      id: 'embed32-trpc-sdk',
      title: 'embeddings, batch of 32: gateway SDK chat.embedBatch vs ollama npm embed direct',
      kind: 'request',
      concurrency: [1],
      direct: (t) => async () => {
        await ollama(t.fakeUrl).embed({ model: EMBED_MODEL, input: inputs(32) });
        return undefined;
      },
      gateway: (t) => async () => {
        await gatewayClient(t.gatewayUrl).chat.embedBatch.mutate({
          model: EMBED_MODEL,
          inputs: inputs(32),
        });
        return undefined;
      },
    },
  ];
}
