import { type FakeOllama, type JournalEntry, startFakeOllama } from '@intellicore/testkit';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startTestGateway, type TestGateway } from '../../src/testing.js';

/** What the gateway sent the fake Ollama for one chat (Ollama's wire body). */
export type SentChat = Record<string, unknown> & { messages: Array<Record<string, unknown>> };

export interface FakeAndGateway {
  readonly fake: FakeOllama;
  readonly gw: TestGateway;
  /** The fake's journal entries for `path` (default `/api/chat`), oldest first. */
  calls(path?: string): JournalEntry[];
  /** The body of the last `/api/chat` the fake received. */
  lastChat(): SentChat;
}

/**
 * A fake Ollama and a real gateway in front of it for one test file (started before its tests,
 * faults cleared after each, both closed at the end).
 */
export function fakeAndGateway(env: Record<string, string>): FakeAndGateway {
  let fake: FakeOllama | undefined;
  let gw: TestGateway | undefined;
  beforeAll(async () => {
    fake = await startFakeOllama();
    gw = await startTestGateway({ ollamaUrl: fake.url, env });
  });
  afterEach(() => fake?.faults.clear());
  afterAll(async () => {
    await gw?.close();
    await fake?.close();
  });
  const calls = (path = '/api/chat') =>
    (fake?.journal.entries() ?? []).filter((e) => e.path === path);
  return {
    get fake() {
      if (!fake) throw new Error('fake Ollama not started');
      return fake;
    },
    get gw() {
      if (!gw) throw new Error('gateway not started');
      return gw;
    },
    calls,
    lastChat: () => calls().at(-1)?.body as SentChat,
  };
}
