import { type FakeOllama, fakeChatReply, startFakeOllama } from '@intellicore/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readiness } from '../src/routers/readiness.js';
import { startTestGateway, type TestGateway } from '../src/testing.js';
import { createTestClient } from './helpers/trpc-client.js';

// Graceful shutdown in process: readiness turns false first, an open SSE stream finishes,
// then the listener is gone.
let fake: FakeOllama;
let gw: TestGateway;

beforeAll(async () => {
  fake = await startFakeOllama({ chunkDelayMs: 40 });
  gw = await startTestGateway({ ollamaUrl: fake.url, env: { SHUTDOWN_TIMEOUT_MS: '10000' } });
});

afterAll(async () => {
  await gw?.close();
  await fake?.close();
});

it('shutdown during a chat.stream: not ready at once, the stream completes, then closed', async () => {
  const client = createTestClient(gw.url);
  const messages = [{ role: 'user' as const, content: 'one two three four five six' }];
  let shutdown: Promise<void> | undefined;
  let text = '';
  let done = false;
  for await (const event of client.chat.stream.subscribe({ messages })) {
    if (event.data.type === 'delta') text += event.data.content;
    else done = true;
    if (!shutdown) {
      shutdown = gw.gateway.shutdown();
      const report = await readiness({ service: gw.service, state: gw.gateway.state }, null);
      expect(report).toMatchObject({ ready: false, shuttingDown: true });
    }
  }
  expect(done).toBe(true);
  expect(text).toBe(fakeChatReply(messages, 'llama3.2'));
  await shutdown;
  await expect(fetch(`${gw.url}/healthz`)).rejects.toThrow();
});
