import { request } from 'node:http';
import { type FakeOllama, fakeChatReply, startFakeOllama } from '@intellicore/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../src/index.js';

/**
 * Clients that leave in the middle of a stream, on every streaming door: the one stream pump
 * stops at once (it never waits for a `drain` that cannot come), closes the upstream request and
 * gives back the upstream slot, the queue place and the open-streams gauge.
 */
const MODEL = 'llama3.2';
/** ~20 KB of words: the fake echoes it back in ~3,400 chunks. */
const LONG = Array.from({ length: 3_400 }, (_, i) => `word${i}`).join(' ');
/** ~5 MB in 600 chunks: more than loopback socket buffers hold, so a reader that stops
 * reading makes the gateway's writes back up (it then waits for `drain`). */
const HUGE = Array.from({ length: 600 }, (_, i) => `${i}`.padEnd(8_000, 'x')).join(' ');

interface Door {
  name: string;
  path: string;
  body(content: string): unknown;
  /** What the end of a complete answer contains. */
  done: string;
}

const DOORS: Door[] = [
  {
    name: 'tRPC POST stream',
    path: '/trpc/chat.stream',
    done: '"type":"done"',
    body: (content) => ({
      model: MODEL,
      messages: [{ role: 'user', content }],
      options: { temperature: 0 },
    }),
  },
  {
    name: '/v1 SSE',
    path: '/v1/chat/completions',
    done: 'data: [DONE]',
    body: (content) => ({
      model: MODEL,
      stream: true,
      temperature: 0,
      messages: [{ role: 'user', content }],
    }),
  },
  {
    name: '/api NDJSON',
    path: '/api/chat',
    done: '"done":true',
    body: (content) => ({
      model: MODEL,
      options: { temperature: 0 },
      messages: [{ role: 'user', content }],
    }),
  },
  {
    name: 'REST SSE',
    path: '/api/v1/chat/completions',
    done: '"type":"done"',
    body: (content) => ({
      model: MODEL,
      stream: true,
      options: { temperature: 0 },
      messages: [{ role: 'user', content }],
    }),
  },
  {
    name: 'Anthropic SSE',
    path: '/v1/messages',
    done: 'event: message_stop',
    body: (content) => ({
      model: MODEL,
      stream: true,
      max_tokens: 100_000,
      temperature: 0,
      messages: [{ role: 'user', content }],
    }),
  },
];

/**
 * Starts a stream and goes away: after the first `afterBytes` bytes, or (slow reader) after
 * `pauseMs` of not reading. Resolves once the socket is gone.
 */
function dropOut(
  base: string,
  door: Door,
  content: string,
  options: { afterBytes?: number; pauseMs?: number } = {},
): Promise<void> {
  const payload = JSON.stringify(door.body(content));
  return new Promise((resolve, reject) => {
    const req = request(`${base}${door.path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
    });
    req.on('response', (res) => {
      if (res.statusCode !== 200) return reject(new Error(`${door.path}: HTTP ${res.statusCode}`));
      if (options.pauseMs !== undefined) {
        res.pause(); // a reader that stops reading: the gateway's writes back up
        setTimeout(() => req.destroy(), options.pauseMs);
        return;
      }
      let got = 0;
      res.on('data', (chunk: Buffer) => {
        got += chunk.length;
        if (got >= (options.afterBytes ?? 1)) req.destroy();
      });
    });
    req.on('close', () => resolve());
    req.on('error', () => undefined); // our own destroy
    req.end(payload);
  });
}

async function readAll(base: string, door: Door, content: string): Promise<string> {
  const res = await fetch(`${base}${door.path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(door.body(content)),
  });
  expect(res.status).toBe(200);
  return res.text();
}

/** The answer text of a streamed body, whatever the door's format. */
function textOf(body: string): string {
  let text = '';
  for (const line of body.split('\n')) {
    const json = line.startsWith('data: ') ? line.slice(6) : line;
    if (!json.startsWith('{')) continue;
    const event = JSON.parse(json) as {
      type?: string;
      content?: string;
      delta?: { type?: string; text?: string };
      choices?: Array<{ delta?: { content?: string } }>;
      message?: { content?: string };
    };
    if (event.type === 'delta') text += event.content ?? '';
    else if (event.type === 'content_block_delta') text += event.delta?.text ?? '';
    else if (event.type === 'done' || event.type === 'message_start') continue;
    else text += event.choices?.[0]?.delta?.content ?? event.message?.content ?? '';
  }
  return text;
}

/** The open-streams gauge, and requests in flight or queued on the upstreams. */
async function openWork(gw: TestGateway): Promise<{ streams: number; busy: number }> {
  const metrics = await (await fetch(`${gw.url}/metrics`)).text();
  const streams = Number(/^gateway_open_streams (\d+)/m.exec(metrics)?.[1] ?? Number.NaN);
  const health = await gw.service.health();
  const busy = health.upstreams.reduce((n, u) => n + u.inFlight + u.queued, 0);
  return { streams, busy };
}

async function settles(gw: TestGateway): Promise<void> {
  await expect
    .poll(() => openWork(gw), { timeout: 10_000, interval: 50 })
    .toEqual({
      streams: 0,
      busy: 0,
    });
}

describe('clients leaving mid-stream', () => {
  let fake: FakeOllama;
  let gw: TestGateway;

  beforeAll(async () => {
    fake = await startFakeOllama();
    gw = await startTestGateway({
      ollamaUrl: fake.url,
      env: {
        CACHE_TTL_SECONDS: '3600',
        UPSTREAM_MAX_CONCURRENCY: '4',
        UPSTREAM_QUEUE_SIZE: '64',
        MAX_BODY_BYTES: String(16 * 1024 * 1024),
      },
    });
  });
  afterAll(async () => {
    await gw?.close();
    await fake?.close();
  });

  it.each(DOORS)(
    '$name: 30 drops in the middle of a replayed 20 KB cached answer leak nothing',
    async (door) => {
      const content = `${door.name} cached ${LONG}`;
      // First answer streams from the upstream and is cached whole; the rest are replays.
      const first = await readAll(gw.url, door, content);
      expect(first.length).toBeGreaterThan(20_000);
      const upstreamCalls = () =>
        fake.journal
          .entries()
          .filter((e) => String(JSON.stringify(e.body)).includes(`${door.name} cached`)).length;
      expect(upstreamCalls()).toBe(1);
      await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          dropOut(gw.url, door, content, { afterBytes: 1 + i * 97 }),
        ),
      );
      await settles(gw);
      expect(upstreamCalls()).toBe(1); // every drop was a cache replay
      // Fresh requests are served: a replay in full, and a new question.
      const again = await readAll(gw.url, door, content);
      expect(textOf(again)).toBe(fakeChatReply([{ role: 'user', content }], MODEL));
      expect(textOf(again)).toBe(textOf(first));
      expect(again).toContain(door.done);
      expect(await readAll(gw.url, door, `${door.name} fresh`)).toContain('fresh');
    },
  );

  it.each(DOORS)(
    '$name: 30 drops while the upstream is still streaming close every upstream request',
    async (door) => {
      fake.faults.set({ path: '/api/chat', chunkDelayMs: 20 });
      try {
        const tag = `${door.name} live ${Date.now()}`;
        await Promise.all(
          Array.from({ length: 30 }, (_, i) => dropOut(gw.url, door, `${tag} ${i} a b c d e f`)),
        );
        await settles(gw);
        const calls = fake.journal
          .entries()
          .filter((e) => String(JSON.stringify(e.body)).includes(tag));
        expect(calls).toHaveLength(30);
        await expect
          .poll(() => calls.filter((e) => e.clientClosed).length, { timeout: 5_000 })
          .toBe(30);
      } finally {
        fake.faults.clear();
      }
      expect(await readAll(gw.url, door, `${door.name} after`)).toContain('after');
    },
  );

  it.each(DOORS)(
    '$name: readers that stop reading mid-replay of a 5 MB cached answer, then leave',
    async (door) => {
      const content = `${door.name} huge ${HUGE}`;
      await readAll(gw.url, door, content); // cached now
      await Promise.all(
        Array.from({ length: 3 }, () => dropOut(gw.url, door, content, { pauseMs: 300 })),
      );
      await settles(gw);
      expect(await readAll(gw.url, door, `${door.name} then`)).toContain('then');
    },
  );

  it.each(DOORS)(
    '$name: slow readers that stop reading, then leave, free their slots',
    async (door) => {
      const tag = `${door.name} slow ${Date.now()}`;
      // Four readers that never read (the upstream limit is 4), then leave after 400 ms.
      await Promise.all(
        Array.from({ length: 4 }, (_, i) =>
          dropOut(gw.url, door, `${tag} ${i} ${LONG}`, { pauseMs: 400 }),
        ),
      );
      await settles(gw);
      const reply = fakeChatReply([{ role: 'user', content: `${door.name} next` }], MODEL);
      expect(await readAll(gw.url, door, `${door.name} next`)).toContain(reply.split(' ').at(-1));
    },
  );
});
