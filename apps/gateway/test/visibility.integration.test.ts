/**
 * What others see, against real gateways on loopback: readiness by caller (none, user, admin)
 * on `/readyz` and tRPC `health.ready`; `/metrics` behind METRICS_API_KEY; upstreams shown by
 * name (`gpu1`, `ollama-2`), never by URL, in answers, logs and metrics; only documented error
 * details; open mode bound to 127.0.0.1 and saying so.
 */
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { type FakeOllama, startFakeOllama } from '@intellicore/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFetchHandler, createLogger, loadConfig, startGateway } from '../src/index.js';
import { startTestGateway, type TestGateway } from '../src/testing.js';
import { createTestClient, failureOf } from './helpers/trpc-client.js';

const USER = 'sk-user-visibility';
const ADMIN = 'sk-admin-visibility';
const SCRAPER = 'sk-metrics-visibility';
const DEAD = 'http://127.0.0.1:9'; // discard port: nothing answers

let fake: FakeOllama;
let gw: TestGateway;
const logLines: Array<Record<string, unknown>> = [];

const get = (path: string, key?: string) =>
  fetch(`${gw.url}${path}`, key ? { headers: { authorization: `Bearer ${key}` } } : {});

beforeAll(async () => {
  fake = await startFakeOllama();
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n')) if (line) logLines.push(JSON.parse(line));
      done();
    },
  });
  gw = await startTestGateway({
    ollamaUrl: [`gpu1=${fake.url}`, DEAD],
    env: { API_KEYS: USER, ADMIN_API_KEYS: ADMIN, METRICS_API_KEY: SCRAPER, LOG_LEVEL: 'info' },
    logger: createLogger('info', sink),
    waitReady: false, // the dead upstream never gets healthy
  });
  for (let i = 0; i < 200; i++) {
    const report = await gw.service.health();
    const [gpu, dead] = report.upstreams;
    if (gpu?.healthy && dead?.lastError) break;
    await new Promise((r) => setTimeout(r, 25));
  }
});

afterAll(async () => {
  await gw?.close();
  await fake?.close();
});

/** Everything that would tell a caller where the upstreams run. */
const addresses = () => [fake.url, fake.url.replace('http://', ''), DEAD, '127.0.0.1:9'];

describe('readiness by caller', () => {
  it('/readyz without a key: { ready, shuttingDown } only', async () => {
    const res = await get('/readyz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ready: true, shuttingDown: false });
    // A wrong key is no key: still only readiness (probes are never refused).
    expect(await (await get('/readyz', 'sk-wrong')).json()).toEqual({
      ready: true,
      shuttingDown: false,
    });
  });

  it('/readyz with a user key: upstreams by name with health and load, no URL/version/error', async () => {
    const text = await (await get('/readyz', USER)).text();
    const body = JSON.parse(text);
    expect(body.store).toEqual({ ok: true });
    expect(body.upstreams).toEqual([
      expect.objectContaining({ id: 'gpu1', kind: 'ollama', healthy: true, inFlight: 0 }),
      expect.objectContaining({ id: 'ollama-2', kind: 'ollama', healthy: false }),
    ]);
    for (const u of body.upstreams) {
      expect(u).not.toHaveProperty('url');
      expect(u).not.toHaveProperty('version');
      expect(u).not.toHaveProperty('lastError');
    }
    for (const address of addresses()) expect(text).not.toContain(address);
  });

  it('/readyz with an admin key: URLs, versions and the dead upstream’s error (by name)', async () => {
    const body = await (await get('/readyz', ADMIN)).json();
    expect(body.upstreams[0]).toMatchObject({ id: 'gpu1', url: fake.url, healthy: true });
    expect(body.upstreams[0].version).toMatch(/^\d+\.\d+\.\d+/);
    expect(body.upstreams[1]).toMatchObject({ id: 'ollama-2', url: DEAD, healthy: false });
    expect(body.upstreams[1].lastError).toContain('ollama-2');
    expect(body.upstreams[1].lastError).not.toContain(DEAD);
  });

  it('tRPC health.ready shows the same three views', async () => {
    expect(await createTestClient(gw.url).health.ready.query()).toEqual({
      ready: true,
      shuttingDown: false,
    });
    const user = await createTestClient(gw.url, USER).health.ready.query();
    expect(user.upstreams?.map((u) => u.id)).toEqual(['gpu1', 'ollama-2']);
    for (const address of addresses()) expect(JSON.stringify(user)).not.toContain(address);
    const admin = await createTestClient(gw.url, ADMIN).health.ready.query();
    expect(admin.upstreams?.map((u) => u.url)).toEqual([fake.url, DEAD]);
  });
});

describe('readiness through the fetch adapter', () => {
  it('health.ready shows the same three views there', async () => {
    const edge = createFetchHandler({
      service: gw.service,
      apiKeys: [USER],
      adminApiKeys: [ADMIN],
      logger: createLogger('silent'),
    });
    const ready = async (key?: string) => {
      const res = await edge(
        new Request('http://edge.local/trpc/health.ready', {
          headers: key ? { authorization: `Bearer ${key}` } : {},
        }),
      );
      return (await res.json()).result.data;
    };
    expect(await ready()).toEqual({ ready: true, shuttingDown: false });
    const user = await ready(USER);
    expect(user.upstreams.map((u: { id: string }) => u.id)).toEqual(['gpu1', 'ollama-2']);
    for (const address of addresses()) expect(JSON.stringify(user)).not.toContain(address);
    expect((await ready(ADMIN)).upstreams.map((u: { url: string }) => u.url)).toEqual([
      fake.url,
      DEAD,
    ]);
  });
});

describe('/metrics behind METRICS_API_KEY', () => {
  it('401 without a key or with a user key; 200 with the metrics key or an admin key', async () => {
    const none = await get('/metrics');
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
    expect(await none.json()).toEqual({
      error: 'Missing or invalid metrics key (METRICS_API_KEY)',
    });
    expect((await get('/metrics', USER)).status).toBe(401);
    expect((await get('/metrics', ADMIN)).status).toBe(200);
    const scraped = await get('/metrics', SCRAPER);
    expect(scraped.status).toBe(200);
    const text = await scraped.text();
    expect(text).toContain('gateway_upstream_healthy{upstream="gpu1",kind="ollama"} 1');
    expect(text).toContain('gateway_upstream_healthy{upstream="ollama-2",kind="ollama"} 0');
    for (const address of addresses()) expect(text).not.toContain(address);
  });
});

describe('answers, logs and errors name upstreams, never their URLs', () => {
  it('tRPC answers, the catalogue and the request log show `gpu1`', async () => {
    const user = createTestClient(gw.url, USER);
    const answer = await user.chat.completion.mutate({
      messages: [{ role: 'user', content: 'where?' }],
      noCache: true,
    });
    expect(answer.upstream).toBe('gpu1');
    const models = await user.models.list.query();
    expect(models.find((m) => m.name === 'llama3.2:latest')?.upstreams).toEqual(['gpu1']);
    fake.setLoaded(['llama3.2']);
    const running = await user.models.running.query();
    expect(running.map((m) => m.upstream)).toEqual(['gpu1']);
    await new Promise((r) => setTimeout(r, 20));
    const logged = logLines.filter((l) => l.route === 'trpc:chat.completion');
    expect(logged.at(-1)).toMatchObject({ upstream: 'gpu1', status: 200 });
    for (const address of addresses()) expect(JSON.stringify(logLines)).not.toContain(address);
  });

  it('error details keep only documented fields (no upstream error line)', async () => {
    fake.faults.set({
      path: '/api/chat',
      errorAfterChunks: 2,
      errorMessage: 'CUDA error in /opt/llama.cpp/ggml.c:1234 on gpu-node-7',
      times: 1,
    });
    try {
      const failure = await failureOf(
        createTestClient(gw.url, USER).chat.completion.mutate({
          messages: [{ role: 'user', content: 'one two three four' }],
          noCache: true,
        }),
      );
      expect(failure.gatewayCode).toBe('STREAM_INTERRUPTED');
      expect(Object.keys(failure.details ?? {})).toEqual(['partialText']);
      expect(failure.details?.partialText).toBeTypeOf('string');
    } finally {
      fake.faults.clear();
    }
  });
});

describe('open mode is local', () => {
  it('no keys and no HOST: binds 127.0.0.1 and says so; HOST=0.0.0.0 is loud', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        for (const line of String(chunk).split('\n')) if (line) lines.push(JSON.parse(line));
        done();
      },
    });
    const env = { MODELS_DIR: 'off', DATABASE_URL: ':memory:', PLAYGROUND_DIR: 'off', PORT: '0' };
    const local = await startGateway({
      config: loadConfig(env),
      logger: createLogger('warn', sink),
    });
    try {
      expect((local.gateway.server.address() as AddressInfo).address).toBe('127.0.0.1');
      expect(lines.map((l) => l.msg)).toContainEqual(
        expect.stringMatching(/open mode, every caller is admin\. Listening on 127\.0\.0\.1 only/),
      );
    } finally {
      await local.close();
    }
    lines.length = 0;
    const exposed = await startGateway({
      config: loadConfig({ ...env, HOST: '0.0.0.0' }),
      logger: createLogger('warn', sink),
    });
    try {
      expect((exposed.gateway.server.address() as AddressInfo).address).toBe('0.0.0.0');
      expect(lines.map((l) => l.msg)).toContainEqual(
        expect.stringMatching(/listening on 0\.0\.0\.0: the gateway is OPEN to anyone/),
      );
    } finally {
      await exposed.close();
    }
  });
});
