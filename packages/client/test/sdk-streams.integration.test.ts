import { createServer, connect as tcpConnect } from 'node:net';
import { fakeChatReply, fakeGenerateReply, fakeReplyChunks } from '@intellicore/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  chatStream,
  createGatewayClient,
  type GatewayClient,
  GatewayClientError,
  generateStream,
  renderAndChatStream,
} from '../src/index.js';
import { type LiveGateway, startLiveGateway } from './helpers/live-gateway.js';

/**
 * The SDK's streams travel as one POST whose body is the input and whose answer is an SSE
 * stream: long prompts stream, nothing of them lands in a URL, events keep their types, aborts
 * reach the upstream, and failures carry the gateway's codes.
 */
const USER_KEY = 'sk-user-streams';
const ADMIN_KEY = 'sk-admin-streams';
const MODEL = 'llama3.2';
const MAX_BODY = 2 * 1024 * 1024;

interface SeenRequest {
  method: string;
  url: string;
  bodyBytes: number;
  authorization: string | null;
}

/** A fetch that records what the SDK sends (method, URL, body size, key header). */
function recordingFetch(seen: SeenRequest[]): typeof fetch {
  return async (input, init) => {
    const headers = new Headers(init?.headers);
    seen.push({
      method: init?.method ?? 'GET',
      url: String(input),
      bodyBytes: typeof init?.body === 'string' ? Buffer.byteLength(init.body) : 0,
      authorization: headers.get('authorization'),
    });
    return fetch(input, init);
  };
}

async function failure(run: Promise<unknown>): Promise<GatewayClientError> {
  try {
    await run;
  } catch (error) {
    return GatewayClientError.from(error);
  }
  throw new Error('expected a failure');
}

async function drain(stream: AsyncIterable<string>, into: string[] = []): Promise<string[]> {
  for await (const text of stream) into.push(text);
  return into;
}

/**
 * A TCP relay in front of `target` that counts the connections clients open through it, and holds
 * each response's last chunk (`0\r\n\r\n`, the end of a chunked body) back for 50 ms: the end of
 * a stream then arrives after its last event, as it may over a real network.
 */
const LAST_CHUNK = Buffer.from('0\r\n\r\n');

async function countingRelay(target: string) {
  const { hostname, port } = new URL(target);
  let connections = 0;
  const sockets = new Set<{ destroy(): void }>();
  const server = createServer((socket) => {
    connections++;
    const upstream = tcpConnect(Number(port), hostname);
    sockets.add(socket).add(upstream);
    socket.pipe(upstream);
    upstream.on('data', (data: Buffer) => {
      const tail = data.subarray(-LAST_CHUNK.length);
      if (data.length <= LAST_CHUNK.length || !tail.equals(LAST_CHUNK)) {
        socket.write(data);
        return;
      }
      socket.write(data.subarray(0, -LAST_CHUNK.length));
      setTimeout(() => socket.write(tail), 50);
    });
    const close = () => {
      socket.destroy();
      upstream.destroy();
    };
    socket.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}`,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

/** A RAG-like conversation of about `bytes` bytes: a system prompt with retrieved documents. */
function bigConversation(bytes: number, question: string) {
  const document = 'Retrieved passage about the gateway and its streams. '.repeat(40);
  const documents = Array.from(
    { length: Math.ceil(bytes / document.length) },
    (_, i) => `[doc ${i}] ${document}`,
  ).join('\n');
  return [
    { role: 'system' as const, content: `Answer from these documents:\n${documents}` },
    { role: 'user' as const, content: question },
  ];
}

describe('SDK streams over POST', () => {
  let gateway: LiveGateway;
  let client: GatewayClient;
  const seen: SeenRequest[] = [];

  beforeAll(async () => {
    gateway = await startLiveGateway({
      API_KEYS: USER_KEY,
      ADMIN_API_KEYS: ADMIN_KEY,
      MAX_BODY_BYTES: String(MAX_BODY),
    });
    client = createGatewayClient({
      url: gateway.url,
      apiKey: USER_KEY,
      fetch: recordingFetch(seen),
    });
  });
  afterAll(async () => {
    await gateway?.close();
  });
  afterEach(() => {
    gateway.fake.faults.clear();
    seen.length = 0;
  });

  it.each([20 * 1024, 1024 * 1024])(
    'a %i-byte conversation streams; the input travels in the body, the key in a header',
    async (bytes) => {
      const question = `question after ${bytes} bytes`;
      const messages = bigConversation(bytes, question);
      const stream = chatStream(client, { model: MODEL, messages });
      const deltas = await drain(stream);
      const result = await stream.result;
      const reply = fakeChatReply(messages, MODEL);
      expect(deltas).toEqual(fakeReplyChunks(reply));
      expect(result.message.content).toBe(reply);
      expect(result.usage.promptTokens).toBeGreaterThan(bytes / 8);

      expect(seen).toHaveLength(1);
      const [request] = seen;
      expect(request).toMatchObject({ method: 'POST', authorization: `Bearer ${USER_KEY}` });
      expect(new URL(request!.url).pathname).toBe('/trpc/chat.stream');
      expect(new URL(request!.url).search).toBe('');
      expect(request!.bodyBytes).toBeGreaterThan(bytes);
      // The upstream got the whole prompt.
      const upstream = await gateway.fake.journal.waitFor(
        (e) => e.path === '/api/chat' && JSON.stringify(e.body).includes(question),
      );
      expect(JSON.stringify(upstream.body).length).toBeGreaterThan(bytes);
    },
  );

  it('a body over MAX_BODY_BYTES is PAYLOAD_TOO_LARGE (413), for streams and mutations', async () => {
    const messages = bigConversation(MAX_BODY + 1024, 'too big');
    const streamed = await failure(drain(chatStream(client, { model: MODEL, messages })));
    expect(streamed).toMatchObject({ gatewayCode: 'PAYLOAD_TOO_LARGE', httpStatus: 413 });
    expect(streamed.message).toBe(`Request body is larger than ${MAX_BODY} bytes`);
    const mutated = await failure(client.chat.completion.mutate({ model: MODEL, messages }));
    expect(mutated).toMatchObject({ gatewayCode: 'PAYLOAD_TOO_LARGE', httpStatus: 413 });
    expect(
      gateway.fake.journal
        .entries()
        .some((e) => String(JSON.stringify(e.body)).includes('too big')),
    ).toBe(false);
  });

  it('typed events: tracked deltas with increasing ids, then exactly one done', async () => {
    const messages = [{ role: 'user' as const, content: 'typed events please' }];
    const events = await new Promise<unknown[]>((resolve, reject) => {
      const got: unknown[] = [];
      client.chat.stream.subscribe(
        { model: MODEL, messages },
        { onData: (e) => got.push(e), onError: reject, onComplete: () => resolve(got) },
      );
    });
    const reply = fakeChatReply(messages, MODEL);
    const chunks = fakeReplyChunks(reply);
    expect(events).toHaveLength(chunks.length + 1);
    const ids = events.map((e) => (e as { id: string }).id);
    const prefix = ids[0]!.replace(/:0$/, '');
    expect(ids).toEqual(events.map((_, i) => `${prefix}:${i}`));
    expect(events.slice(0, -1).map((e) => (e as { data: unknown }).data)).toEqual(
      chunks.map((content) => ({ type: 'delta', content })),
    );
    const done = (events.at(-1) as { data: { type: string; result: { message: unknown } } }).data;
    expect(done.type).toBe('done');
    expect(done.result.message).toEqual({ role: 'assistant', content: reply });
  });

  it('an abort closes the upstream request within 100 ms', async () => {
    // Chunks 300 ms apart: a close that waited for the next chunk (or never came) takes 300 ms
    // or more on every try. Best of three, so one scheduler hiccup on a loaded CI machine (all
    // three processes share this worker's event loop) does not decide it.
    gateway.fake.faults.set({ path: '/api/chat', chunkDelayMs: 300 });
    const delays: number[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      const content = `abort timing ${attempt} ${Date.now()}`;
      const controller = new AbortController();
      const stream = chatStream(
        client,
        { model: MODEL, messages: [{ role: 'user', content }] },
        { signal: controller.signal },
      );
      let abortedAt = 0;
      const error = await failure(
        (async () => {
          for await (const _text of stream) {
            abortedAt = Date.now();
            controller.abort();
          }
        })(),
      );
      expect(error.gatewayCode).toBe('CANCELLED');
      const upstream = await gateway.fake.journal.waitFor(
        (e) =>
          e.path === '/api/chat' &&
          String(JSON.stringify(e.body)).includes(content) &&
          e.clientClosed,
      );
      delays.push(upstream.closedAt! - abortedAt);
    }
    expect(Math.min(...delays), `delays ${delays.join(', ')} ms`).toBeLessThan(100);
  });

  it('a finished stream leaves its connection to the next call (it is not aborted)', async () => {
    const relay = await countingRelay(gateway.url);
    try {
      const viaRelay = createGatewayClient({ url: relay.url, apiKey: USER_KEY });
      for (let i = 0; i < 4; i++) {
        const messages = [{ role: 'user' as const, content: `one connection ${i}` }];
        const stream = chatStream(viaRelay, { model: MODEL, messages });
        expect((await drain(stream)).join('')).toBe(fakeChatReply(messages, MODEL));
        await stream.result;
        // The end of the response follows `done` 50 ms later; let fetch read it.
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      // Aborting at `done` (as before) closed each connection: four streams, four connections.
      expect(relay.connections()).toBe(1);
    } finally {
      await relay.close();
    }
  });

  it('STREAM_INTERRUPTED from the gateway carries the text that arrived', async () => {
    gateway.fake.faults.set({ path: '/api/chat', dropAfterChunks: 2 });
    const messages = [{ role: 'user' as const, content: 'cut me off after two words' }];
    const received: string[] = [];
    const error = await failure(drain(chatStream(client, { model: MODEL, messages }), received));
    expect(error.gatewayCode).toBe('STREAM_INTERRUPTED');
    expect(received).toEqual(fakeReplyChunks(fakeChatReply(messages, MODEL)).slice(0, 2));
    expect(error.details?.partialText).toBe(received.join(''));
  });

  it('generateStream: response deltas, then the final result', async () => {
    const prompt = 'complete this sentence';
    const stream = generateStream(client, { model: MODEL, prompt });
    const deltas = await drain(stream);
    const result = await stream.result;
    expect(deltas).toEqual(fakeReplyChunks(fakeGenerateReply(prompt, MODEL)));
    expect(result.response).toBe(deltas.join(''));
    expect(result.usage.completionTokens).toBeGreaterThan(0);
    expect(seen[0]).toMatchObject({ method: 'POST' });
    expect(new URL(seen[0]!.url).pathname).toBe('/trpc/chat.generateStream');
  });

  it('renderAndChatStream: a built-in template rendered and its answer streamed', async () => {
    const stream = renderAndChatStream(client, {
      id: 'rag-answer',
      variables: { question: 'What streams?', documents: ['The gateway streams.'] },
      model: MODEL,
    });
    const deltas = await drain(stream);
    const result = await stream.result;
    expect(result.templateId).toBe('rag-answer');
    expect(result.version).toBeGreaterThanOrEqual(1);
    expect(result.content).toBe(deltas.join(''));
    expect(result.result.message.content).toBe(result.content);
    expect(new URL(seen[0]!.url).pathname).toBe('/trpc/templates.renderAndChatStream');
  });

  it('models.pull progress travels as a POST stream too (admin only)', async () => {
    const admin = createGatewayClient({ url: gateway.url, apiKey: ADMIN_KEY });
    const statuses = await new Promise<string[]>((resolve, reject) => {
      const got: string[] = [];
      admin.models.pull.subscribe(
        { name: MODEL },
        {
          onData: (p) => got.push(p.status),
          onError: reject,
          onComplete: () => resolve(got),
        },
      );
    });
    expect(statuses.at(-1)).toBe('success');
    const refused = await new Promise<unknown>((resolve) => {
      client.models.pull.subscribe(
        { name: MODEL },
        { onError: resolve, onComplete: () => resolve(null) },
      );
    });
    expect(GatewayClientError.from(refused)).toMatchObject({
      gatewayCode: 'FORBIDDEN',
      httpStatus: 403,
    });
  });
});
