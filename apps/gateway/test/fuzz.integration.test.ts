/**
 * A few hundred malformed requests (seeded, so a failure replays exactly) against a real gateway
 * on loopback in front of the fake Ollama, raw over node:http so paths are sent as they are, and
 * against the fetch adapter. No answer may be a 5xx, and the gateway must still serve afterwards.
 * FUZZ_SEED=<n> replays another sequence.
 */
import { Agent, request as httpRequest } from 'node:http';
import {
  createTemplateService,
  createTemplateStore,
  openUsageStore,
  type TemplateStore,
  type UsageStore,
} from '@intellicore/llm-core';
import { type FakeOllama, startFakeOllama } from '@intellicore/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFetchHandler, createLogger } from '../src/index.js';
import { startTestGateway, type TestGateway } from '../src/testing.js';
import { createRandom, type FuzzRequest, malformedRequest } from './helpers/malformed-requests.js';
import { createTestClient } from './helpers/trpc-client.js';

const USER = 'sk-fuzz-user';
const ADMIN = 'sk-fuzz-admin';
const SEED = Number(process.env.FUZZ_SEED ?? 20261130);
const NODE_REQUESTS = 400;
const EDGE_REQUESTS = 150;

let fake: FakeOllama;
let gw: TestGateway;
let store: TemplateStore;
let usage: UsageStore;
const agent = new Agent({ keepAlive: true, maxSockets: 8 });

beforeAll(async () => {
  fake = await startFakeOllama();
  gw = await startTestGateway({
    ollamaUrl: fake.url,
    env: {
      API_KEYS: USER,
      ADMIN_API_KEYS: ADMIN,
      MAX_BODY_BYTES: String(512 * 1024),
      OLLAMA_TIMEOUT: '5',
    },
  });
});

afterAll(async () => {
  agent.destroy();
  await store?.close();
  await usage?.close();
  await gw?.close();
  await fake?.close();
});

/** Sends the request exactly as generated; resolves with the status and the first bytes. */
function send(base: URL, r: FuzzRequest): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        agent,
        host: base.hostname,
        port: base.port,
        method: r.method,
        path: r.path,
        headers: { ...r.headers, ...(r.body ? { 'content-length': String(r.body.length) } : {}) },
        timeout: 15_000,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (text.length < 400) text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(r.body);
  });
}

const describeRequest = (i: number, r: FuzzRequest) =>
  `#${i} (seed ${SEED}) ${r.method} ${r.path.slice(0, 200)} ${JSON.stringify(r.headers).slice(0, 200)} body=${r.body?.subarray(0, 120).toString('latin1') ?? '-'}`;

describe(`malformed requests (seed ${SEED})`, { timeout: 180_000 }, () => {
  it(`${NODE_REQUESTS} requests to the node server: no 5xx, gateway alive afterwards`, async () => {
    const random = createRandom(SEED);
    const requests = Array.from({ length: NODE_REQUESTS }, () =>
      malformedRequest(random, [USER, ADMIN]),
    );
    const base = new URL(gw.url);
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const i = next++;
        const r = requests[i]!;
        try {
          const { status, text } = await send(base, r);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          if (status >= 500) failures.push(`${describeRequest(i, r)} → ${status} ${text}`);
        } catch (error) {
          failures.push(`${describeRequest(i, r)} → ${(error as Error).message}`);
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    expect(failures).toEqual([]);
    // The mix really exercised refusals of several kinds, not only one.
    for (const status of [400, 401, 404]) {
      expect(statuses.get(status) ?? 0, `answers with ${status}`).toBeGreaterThan(0);
    }

    const health = await fetch(`${gw.url}/healthz`);
    expect(health.status).toBe(200);
    const answer = await createTestClient(gw.url, USER).chat.completion.mutate({
      messages: [{ role: 'user', content: 'still there?' }],
    });
    expect(answer.message.content).toContain('still there?');
    const v1 = await fetch(`${gw.url}/v1/models`, { headers: { authorization: `Bearer ${USER}` } });
    expect(v1.status).toBe(200);
  });

  it(`${EDGE_REQUESTS} requests to the fetch adapter: no 5xx`, async () => {
    store = await createTemplateStore(':memory:');
    usage = await openUsageStore(':memory:');
    const edge = createFetchHandler({
      service: gw.service,
      templates: createTemplateService({ store, gateway: gw.service }),
      usage,
      apiKeys: [USER],
      adminApiKeys: [ADMIN],
      maxBodyBytes: 512 * 1024,
      logger: createLogger('silent'),
    });
    const random = createRandom(SEED + 1);
    const failures: string[] = [];
    let skipped = 0;
    for (let i = 0; i < EDGE_REQUESTS; i++) {
      const r = malformedRequest(random, [USER, ADMIN], 'trpc');
      let req: Request;
      try {
        req = new Request(new URL(`http://edge.local${r.path}`), {
          method: r.method,
          headers: r.headers,
          ...(r.body && r.method !== 'GET' && r.method !== 'HEAD'
            ? { body: new Uint8Array(r.body) }
            : {}),
        });
      } catch {
        skipped++; // the Request constructor refuses it (e.g. a forbidden method): not ours
        continue;
      }
      let status: number;
      let text = '';
      try {
        const res = await edge(req);
        status = res.status;
        text = (await res.text()).slice(0, 400);
      } catch (error) {
        failures.push(`${describeRequest(i, r)} → threw ${(error as Error).message}`);
        continue;
      }
      if (status >= 500) failures.push(`${describeRequest(i, r)} → ${status} ${text}`);
    }
    expect(failures).toEqual([]);
    expect(skipped).toBeLessThan(EDGE_REQUESTS / 4);
    const live = await edge(new Request('http://edge.local/trpc/health.live'));
    expect(live.status).toBe(200);
  });
});
