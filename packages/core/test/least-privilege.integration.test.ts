/**
 * Authorization, health views and public error details decided in core, with no transport in
 * between: a real GatewayService → Ollama provider → the fake Ollama over HTTP on 127.0.0.1, a
 * real SQLite template store and usage store in a temp dir. Whatever door a future transport
 * adds, these refusals hold without it remembering them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FakeOllama, startFakeOllama } from '@intellicore/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GatewayError, publicDetails } from '../src/errors.js';
import { createOllamaUpstreams } from '../src/providers/ollama/upstreams.js';
import type { Caller, RequestContext } from '../src/service/context.js';
import {
  createGatewayService,
  type GatewayServiceWithPool,
} from '../src/service/gateway-service-impl.js';
import { healthView } from '../src/service/health-view.js';
import { usageSummary } from '../src/service/usage-report.js';
import { createTemplateStore } from '../src/stores/templates/create-template-store.js';
import type { TemplateStore } from '../src/stores/templates/template-store.js';
import { SqliteUsageStore } from '../src/stores/usage/sqlite-usage-store.js';
import {
  createTemplateService,
  type TemplateService,
} from '../src/templates/service/template-service.js';
import { drain, rejection } from './ollama-helpers.js';

const USER: Caller = { keyId: 'key_user', admin: false };
const ADMIN: Caller = { keyId: 'key_admin', admin: true };
const as = (caller: Caller): RequestContext => ({ caller, door: 'rest' });

const dir = mkdtempSync(join(tmpdir(), 'least-privilege-'));
const DEAD_URL = 'http://127.0.0.1:9'; // discard port: nothing listens there
let fake: FakeOllama;
let service: GatewayServiceWithPool;
let store: TemplateStore;
let templates: TemplateService;
let usage: SqliteUsageStore;
let storeDown = false;

const upstreamCalls = (path: string) => fake.journal.entries().filter((e) => e.path === path);

beforeAll(async () => {
  fake = await startFakeOllama();
  service = createGatewayService({
    // Named `gpu1` (configured) and `ollama-2` (by position): never their URLs.
    upstreams: createOllamaUpstreams([{ name: 'gpu1', url: fake.url }, DEAD_URL], {
      timeoutMs: 2_000,
    }),
    policy: {
      allowedModels: ['llama3.2', 'qwen2:0.5b', 'mistral'],
      defaultChatModel: 'llama3.2',
      defaultEmbeddingModel: 'llama3.2',
    },
    pool: { healthIntervalMs: 60_000 },
    storeHealth: async () =>
      storeDown
        ? { ok: false, error: 'password authentication failed for user "gateway" at 10.0.0.7' }
        : { ok: true },
  });
  store = await createTemplateStore(join(dir, 'templates.sqlite'));
  templates = createTemplateService({ store, gateway: service });
  usage = new SqliteUsageStore({ filename: join(dir, 'usage.sqlite') });
  await usage.migrate();
});

afterAll(async () => {
  await service?.close();
  await store?.close();
  await usage?.close();
  await fake?.close();
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  fake.journal.clear();
  storeDown = false;
});

describe('admin operations are refused in core without the admin scope', () => {
  it('models.pull: FORBIDDEN naming the operation, before the policy and any upstream call', async () => {
    const refused = await drain(service.pullModel('qwen2:0.5b', as(USER)));
    expect(refused.items).toEqual([]);
    expect(refused.error).toBeInstanceOf(GatewayError);
    expect(refused.error?.code).toBe('FORBIDDEN');
    expect(refused.error?.message).toBe('models.pull needs an admin API key');
    expect(refused.error?.details).toEqual({ operation: 'models.pull' });
    // Even for a model the policy would refuse: scope first, so nothing about the list leaks.
    expect((await drain(service.pullModel('not-allowed', as(USER)))).error?.code).toBe('FORBIDDEN');
    expect(upstreamCalls('/api/pull')).toHaveLength(0);

    const pulled = await drain(service.pullModel('qwen2:0.5b', as(ADMIN)));
    expect(pulled.error).toBeUndefined();
    expect(pulled.items.at(-1)?.status).toBe('success');
    expect(upstreamCalls('/api/pull')).toHaveLength(1);
  });

  it('models.delete: FORBIDDEN for a user key, the model stays; an admin key deletes it', async () => {
    const refused = await rejection(service.deleteModel('mistral', as(USER)));
    expect(refused.code).toBe('FORBIDDEN');
    expect(refused.message).toBe('models.delete needs an admin API key');
    expect(upstreamCalls('/api/delete')).toHaveLength(0);
    expect((await service.listModels(as(USER))).map((m) => m.name)).toContain('mistral:latest');

    await service.deleteModel('mistral', as(ADMIN));
    expect(upstreamCalls('/api/delete')).toHaveLength(1);
    expect((await service.listModels(as(USER))).map((m) => m.name)).not.toContain('mistral:latest');
  });

  it('template writes: create, update, setLabel and delete are FORBIDDEN; nothing is stored', async () => {
    const definition = {
      id: 'greeting',
      name: 'Greeting',
      template: 'Hello <%= it.name %>',
      variables: [{ name: 'name', type: 'string' as const }],
    };
    const attempts = [
      templates.create(definition, as(USER)),
      templates.update({ id: 'greeting', template: 'Hi' }, as(USER)),
      templates.setLabel({ id: 'greeting', version: 1, label: 'production' }, as(USER)),
      templates.delete({ id: 'greeting' }, as(USER)),
    ];
    for (const error of await Promise.all(attempts.map((a) => rejection(a)))) {
      expect(error.code).toBe('FORBIDDEN');
      expect(error.message).toBe('templates.write needs an admin API key');
    }
    expect((await templates.list()).items.map((t) => t.id)).not.toContain('greeting');

    const created = await templates.create(definition, as(ADMIN));
    expect(created).toMatchObject({ id: 'greeting', version: 1, createdBy: 'key_admin' });
    // Reads stay open to every key.
    expect((await templates.get({ id: 'greeting' })).template).toBe('Hello <%= it.name %>');
  });

  it('usage.summary: FORBIDDEN for a user key (it spans every key), rows for an admin key', async () => {
    await usage.insert([
      {
        at: new Date(),
        keyId: 'key_other',
        door: 'openai',
        operation: 'chat',
        model: 'llama3.2',
        upstream: 'gpu1',
        promptTokens: 3,
        completionTokens: 4,
        durationMs: 5,
        status: 'ok',
        cached: false,
      },
    ]);
    const refused = await rejection(usageSummary(usage, { groupBy: 'key' }, as(USER)));
    expect(refused.code).toBe('FORBIDDEN');
    expect(refused.message).toBe('usage.summary needs an admin API key');
    const rows = await usageSummary(usage, { groupBy: 'key' }, as(ADMIN));
    expect(rows).toEqual([expect.objectContaining({ group: 'key_other', totalTokens: 7 })]);
    const backwards = await rejection(
      usageSummary(usage, { groupBy: 'day', from: new Date(2), to: new Date(1) }, as(ADMIN)),
    );
    expect(backwards.code).toBe('BAD_REQUEST');
    expect(backwards.fieldErrors).toEqual([{ path: 'from', message: 'must not be after `to`' }]);
  });
});

describe('what each caller sees of the health report', () => {
  it('anonymous: ready only; user: names and load; admin: URLs, versions and errors too', async () => {
    storeDown = true;
    const report = await service.health();
    const names = report.upstreams.map((u) => u.id);
    expect(names).toEqual(['gpu1', 'ollama-2']);
    expect(JSON.stringify(report.upstreams.map(({ url: _, ...u }) => u))).not.toContain(
      '127.0.0.1',
    );

    expect(healthView(report, null)).toEqual({ ready: false });

    const user = healthView(report, USER);
    expect(user.store).toEqual({ ok: false });
    expect(user.upstreams).toEqual([
      expect.objectContaining({ id: 'gpu1', kind: 'ollama', healthy: true }),
      expect.objectContaining({ id: 'ollama-2', kind: 'ollama', healthy: false }),
    ]);
    const version = report.upstreams[0]?.version;
    expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    const shown = JSON.stringify(user);
    for (const secret of [fake.url, DEAD_URL, '127.0.0.1', '10.0.0.7', 'password', version!]) {
      expect(shown).not.toContain(secret);
    }
    for (const u of user.upstreams ?? []) {
      expect(u).not.toHaveProperty('url');
      expect(u).not.toHaveProperty('version');
      expect(u).not.toHaveProperty('lastError');
    }

    const admin = healthView(report, ADMIN);
    expect(admin.store?.error).toContain('password authentication failed');
    expect(admin.upstreams?.[0]).toMatchObject({ id: 'gpu1', url: fake.url });
    expect(admin.upstreams?.[0]?.version).toBe(version);
    expect(admin.upstreams?.[1]).toMatchObject({ id: 'ollama-2', url: DEAD_URL, healthy: false });
    // The dead upstream's error names it by name, not by address.
    expect(admin.upstreams?.[1]?.lastError).toMatch(/ollama-2/);
    expect(admin.upstreams?.[1]?.lastError).not.toContain(DEAD_URL);
  });

  it('answers and errors name the upstream, not its URL', async () => {
    const answer = await service.chat({ messages: [{ role: 'user', content: 'hi' }] }, as(USER));
    expect(answer.upstream).toBe('gpu1');
    expect((await service.listModels(as(USER)))[0]?.upstreams).toEqual(['gpu1']);
    fake.setLoaded(['llama3.2']);
    expect((await service.runningModels(as(USER))).map((m) => m.upstream)).toEqual(['gpu1']);
  });
});

describe('error details carry only the documented fields of their code', () => {
  it('drops undocumented facts (an upstream error line, a malformed stream line)', () => {
    const interrupted = new GatewayError('STREAM_INTERRUPTED', 'Upstream stream failed', {
      details: {
        upstreamMessage: 'CUDA error at /opt/ollama/llama.cpp:123 on host gpu-7',
        line: '{"garbage',
        partialText: 'Hello',
      },
    });
    expect(publicDetails(interrupted)).toEqual({ partialText: 'Hello' });
    expect(interrupted.toJSON()).toEqual({
      code: 'STREAM_INTERRUPTED',
      message: 'Upstream stream failed',
      details: { partialText: 'Hello' },
    });
    // Codes without documented details show none at all.
    const internal = new GatewayError('INTERNAL', 'x', { details: { query: 'SELECT secret' } });
    expect(publicDetails(internal)).toBeUndefined();
    expect(internal.toJSON()).not.toHaveProperty('details');
    const limited = new GatewayError('RATE_LIMITED', 'slow down', {
      details: { limitedBy: 'requests', estimatedTokens: 9, bucket: 'rl:{key_x}:r' },
    });
    expect(publicDetails(limited)).toEqual({ limitedBy: 'requests', estimatedTokens: 9 });
  });
});
