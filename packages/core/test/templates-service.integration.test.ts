/**
 * The template service end to end below the transport: real GatewayService → Ollama provider →
 * the fake Ollama over HTTP on 127.0.0.1, and a real SQLite template store in a temp dir.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type FakeOllama,
  fakeChatReply,
  fakeThinking,
  startFakeOllama,
} from '@intellicore/testkit';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { GatewayError } from '../src/errors.js';
import { createOllamaProvider } from '../src/providers/ollama/ollama-provider.js';
import type { RequestContext } from '../src/service/context.js';
import {
  createGatewayService,
  type GatewayServiceWithPool,
} from '../src/service/gateway-service-impl.js';
import type { UsageRecord, UsageSink } from '../src/service/hooks.js';
import { createTemplateStore } from '../src/stores/templates/create-template-store.js';
import type { TemplateStore } from '../src/stores/templates/template-store.js';
import type { CreateTemplateInput } from '../src/templates/model.js';
import {
  createTemplateService,
  type TemplateService,
} from '../src/templates/service/template-service.js';

const ctx: RequestContext = { caller: { keyId: 'key_admin', admin: true }, door: 'trpc' };
const dir = mkdtempSync(join(tmpdir(), 'templates-service-'));
const usage: UsageRecord[] = [];
/** Keeps what the gateway records, so the test can see ctx.template arrive in usage. */
const usageSink: UsageSink = {
  record: (r) => void usage.push(r),
  flush: async () => {},
  close: async () => {},
};

let fake: FakeOllama;
let gateway: GatewayServiceWithPool;
let store: TemplateStore;
let service: TemplateService;

async function rejection(promise: Promise<unknown>): Promise<GatewayError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    return error as GatewayError;
  }
  throw new Error('expected a rejection');
}

// biome-ignore lint/suspicious/noExplicitAny: journal bodies are arbitrary JSON, read by path
type Json = any;
const chatBodies = (): Record<string, Json>[] =>
  fake.journal
    .entries()
    .filter((e) => e.path === '/api/chat')
    .map((e) => e.body as Record<string, Json>);

beforeAll(async () => {
  fake = await startFakeOllama();
  gateway = createGatewayService({
    upstreams: [createOllamaProvider({ url: fake.url })],
    policy: {
      allowedModels: ['llama3.2', 'llama3.2:1b'],
      defaultChatModel: 'llama3.2',
      defaultEmbeddingModel: 'nomic-embed-text',
    },
    usage: usageSink,
  });
});

afterAll(async () => {
  await gateway?.close();
  await fake?.close();
  rmSync(dir, { recursive: true, force: true });
});

// Each test has its own store: no test reads (or trips over) the templates of another.
let storeCount = 0;
beforeEach(async () => {
  store = await createTemplateStore(join(dir, `templates-${++storeCount}.sqlite`));
  service = createTemplateService({ store, gateway });
});
afterEach(async () => {
  await store?.close();
});

beforeEach(() => {
  fake.journal.clear();
  usage.length = 0;
});

const greeting: CreateTemplateInput = {
  id: 'greeting',
  name: 'Greeting',
  template: 'Greet <%= it.name %><% if (it.loud) { %> loudly<% } %>.',
  systemPrompt: 'You are a <%= it.persona %>.',
  variables: [
    { name: 'name', type: 'string', required: true },
    { name: 'loud', type: 'boolean', default: false },
    { name: 'persona', type: 'string', default: 'butler' },
  ],
  model: 'llama3.2',
  options: { temperature: 0.3, top_k: 20 },
  tags: ['demo'],
};

/** The greeting template as the tests need it: v1 labelled production, and v2 (no persona). */
async function seedGreeting(versions: 1 | 2) {
  await service.create({ ...greeting, labels: ['production'] }, ctx);
  if (versions === 2) {
    await service.update(
      { id: 'greeting', template: 'Welcome <%= it.name %>.', systemPrompt: null },
      ctx,
    );
  }
}

describe('writes are checked before they are stored', () => {
  it('creates, records the writer and validates the definition', async () => {
    const v1 = await service.create(
      { ...greeting, commitMessage: 'first', labels: ['production'] },
      ctx,
    );
    expect(v1).toMatchObject({
      id: 'greeting',
      version: 1,
      createdBy: 'key_admin',
      labels: ['latest', 'production'],
    });
  });

  it('refuses unsafe templates with line and column, before storing', async () => {
    const error = await rejection(
      service.create({ ...greeting, id: 'evil', template: 'ok\n<%= it.name.constructor %>' }, ctx),
    );
    expect(error.code).toBe('TEMPLATE_INVALID');
    expect(error.message).toContain('line 2, column 13');
    expect((await rejection(service.get({ id: 'evil' }))).code).toBe('TEMPLATE_NOT_FOUND');
  });

  it('refuses reads of undeclared variables and unsupported schema keywords', async () => {
    const undeclared = await rejection(
      service.create({ ...greeting, id: 'typo', template: 'Hi <%= it.nmae %>' }, ctx),
    );
    expect(undeclared.code).toBe('TEMPLATE_INVALID');
    expect(undeclared.fieldErrors?.[0]?.message).toContain('it.nmae is not a declared variable');
    const schema = await rejection(
      service.create(
        {
          ...greeting,
          id: 'schema',
          output: { jsonSchema: { type: 'object', patternProperties: {} } },
        },
        ctx,
      ),
    );
    expect(schema.fieldErrors?.[0]).toEqual({
      path: 'output.jsonSchema',
      message: '$: keyword "patternProperties" is not supported',
    });
  });

  it('answers bad input with BAD_REQUEST naming the field', async () => {
    const error = await rejection(service.create({ ...greeting, id: 'Not A Slug' }, ctx));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.fieldErrors?.[0]?.path).toBe('id');
    const badDefault = await rejection(
      service.create(
        {
          id: 'bad-default',
          name: 'B',
          template: '<%= it.n %>',
          variables: [{ name: 'n', type: 'number', default: 'x' }],
        },
        ctx,
      ),
    );
    expect(badDefault.fieldErrors?.[0]?.path).toBe('variables.0.default');
  });

  it('keeps built-ins read-only (FORBIDDEN)', async () => {
    for (const attempt of [
      service.create({ ...greeting, id: 'rag-answer' }, ctx),
      service.update({ id: 'field-validation', template: 'x' }, ctx),
      service.delete({ id: 'document-summarize' }, ctx),
      service.setLabel({ id: 'rag-answer', version: 1, label: 'staging' }, ctx),
    ]) {
      expect((await rejection(attempt)).code).toBe('FORBIDDEN');
    }
  });

  it('update replaces only the given fields; null removes optional ones', async () => {
    await seedGreeting(1);
    const v2 = await service.update(
      {
        id: 'greeting',
        template: 'Welcome <%= it.name %>.',
        systemPrompt: null,
        commitMessage: 'no persona',
      },
      ctx,
    );
    expect(v2).toMatchObject({
      version: 2,
      template: 'Welcome <%= it.name %>.',
      model: 'llama3.2',
      options: { temperature: 0.3, top_k: 20 },
    });
    expect(v2.systemPrompt).toBeUndefined();
    const unsafe = await rejection(
      service.update({ id: 'greeting', template: '<%= this %>' }, ctx),
    );
    expect(unsafe.code).toBe('TEMPLATE_INVALID');
    expect((await service.versions({ id: 'greeting' })).map((v) => v.version)).toEqual([2, 1]);
  });
});

describe('reads merge the built-ins', () => {
  it('pages through custom and built-in templates in one id order', async () => {
    await seedGreeting(1);
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await service.list({ limit: 3, ...(cursor ? { cursor } : {}) });
      ids.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(ids).toEqual([
      'document-summarize',
      'field-validation',
      'greeting',
      'natural-language-query',
      'object-type-suggestion',
      'rag-answer',
      'relationship-validation',
    ]);
    expect((await service.list({ tag: 'built-in' })).items).toHaveLength(6);
    expect((await service.list({ search: 'welcome' })).items).toEqual([]);
    expect((await service.list({ search: 'greet' })).items.map((i) => [i.id, i.builtIn])).toEqual([
      ['greeting', false],
    ]);
  });

  it('gets built-ins by label and refuses versions they do not have', async () => {
    const t = await service.get({ id: 'rag-answer', label: 'production' });
    expect(t).toMatchObject({ builtIn: true, version: 1, createdBy: null });
    expect((await rejection(service.get({ id: 'rag-answer', version: 2 }))).code).toBe(
      'TEMPLATE_NOT_FOUND',
    );
    expect(await service.versions({ id: 'rag-answer' })).toHaveLength(1);
  });
});

describe('render and render-and-chat', () => {
  it('renders a chosen version or label', async () => {
    await seedGreeting(2);
    const r = await service.render({
      id: 'greeting',
      label: 'production',
      variables: { name: 'Ada', loud: true },
    });
    expect(r).toEqual({
      prompt: 'Greet Ada loudly.',
      systemPrompt: 'You are a butler.',
      model: 'llama3.2',
      options: { temperature: 0.3, top_k: 20 },
      output: 'text',
      templateId: 'greeting',
      version: 1,
    });
    const missing = await rejection(service.render({ id: 'greeting', variables: {} }));
    expect(missing).toMatchObject({
      code: 'MISSING_VARIABLES',
      fieldErrors: [{ path: 'variables.name', message: 'required' }],
    });
  });

  it('chats with the template model/options, caller overrides on top, template in usage', async () => {
    await seedGreeting(1);
    const reply = await service.renderAndChat(
      {
        id: 'greeting',
        version: 1,
        variables: { name: 'Ada' },
        model: 'llama3.2:1b',
        options: { temperature: 0.9 },
      },
      ctx,
    );
    expect(reply.content).toBe(
      fakeChatReply([{ role: 'user', content: 'Greet Ada.' }], 'llama3.2:1b'),
    );
    expect(reply).toMatchObject({ templateId: 'greeting', version: 1, repaired: false });
    const [body] = chatBodies();
    expect(body).toMatchObject({
      model: 'llama3.2:1b',
      options: { temperature: 0.9, top_k: 20 },
      messages: [
        { role: 'system', content: 'You are a butler.' },
        { role: 'user', content: 'Greet Ada.' },
      ],
    });
    await vi.waitFor(() =>
      expect(usage.at(-1)).toMatchObject({
        templateId: 'greeting',
        templateVersion: 1,
        model: 'llama3.2:1b',
      }),
    );
  });

  it('leaves the allow-list to the gateway', async () => {
    await seedGreeting(1);
    const error = await rejection(
      service.renderAndChat({ id: 'greeting', variables: { name: 'A' }, model: 'codellama' }, ctx),
    );
    expect(error.code).toBe('MODEL_NOT_ALLOWED');
  });

  it('streams deltas and ends with one done event', async () => {
    await seedGreeting(2);
    const events = [];
    for await (const e of service.renderAndChatStream(
      { id: 'greeting', variables: { name: 'Bo' } },
      ctx,
    ))
      events.push(e);
    const done = events.at(-1);
    const deltas = events.filter((e) => e.type === 'delta');
    expect(deltas.length).toBeGreaterThan(1);
    expect(done?.type).toBe('done');
    const text = deltas.map((e) => (e.type === 'delta' ? e.delta.message.content : '')).join('');
    expect(text).toBe(fakeChatReply([{ role: 'user', content: 'Welcome Bo.' }], 'llama3.2'));
    expect(done).toMatchObject({ content: text, templateId: 'greeting', version: 2 });
  });

  it("passes the caller's think on, streamed or not; the thinking comes back apart", async () => {
    await seedGreeting(1);
    const reply = await service.renderAndChat(
      { id: 'greeting', version: 1, variables: { name: 'Ada' }, think: 'high' },
      ctx,
    );
    expect(chatBodies()[0]?.think).toBe('high');
    expect(reply.result.message.thinking).toBe(fakeThinking('Greet Ada.'));
    expect(reply.content).toBe(
      fakeChatReply([{ role: 'user', content: 'Greet Ada.' }], 'llama3.2'),
    );
    for await (const _ of service.renderAndChatStream(
      { id: 'greeting', version: 1, variables: { name: 'Ada' }, think: false },
      ctx,
    )) {
      // drain
    }
    expect(chatBodies()[1]?.think).toBe(false);
  });
});

describe('structured output', () => {
  const counter = (maximum: number): CreateTemplateInput & { output: { jsonSchema: object } } => ({
    id: `counter-${maximum}`,
    name: 'Counter',
    template: 'Count this: <%= it.text %>',
    variables: [{ name: 'text', type: 'string', required: true }],
    // The fake fills numbers with the length of its echo: long prompts give big numbers.
    output: {
      jsonSchema: {
        type: 'object',
        properties: { n: { type: 'number', maximum } },
        required: ['n'],
      },
    },
  });

  it('passes the schema as format and returns typed data', async () => {
    await service.create(counter(10_000), ctx);
    const reply = await service.renderAndChat(
      { id: 'counter-10000', variables: { text: 'abc' } },
      ctx,
    );
    expect(chatBodies()[0]?.format).toEqual(counter(10_000).output.jsonSchema);
    expect(reply).toMatchObject({ data: { n: expect.any(Number) }, repaired: false });
  });

  it('repairs an invalid reply once', async () => {
    await service.create(counter(300), ctx);
    const reply = await service.renderAndChat(
      { id: 'counter-300', variables: { text: 'x'.repeat(400) } },
      ctx,
    );
    expect(reply.repaired).toBe(true);
    expect((reply.data as { n: number }).n).toBeLessThanOrEqual(300);
    const bodies = chatBodies();
    expect(bodies).toHaveLength(2);
    expect(bodies[1]?.messages.at(-2)).toMatchObject({ role: 'assistant' });
    expect(bodies[1]?.messages.at(-1)?.content).toContain('$.n: must be ≤ 300');
  });

  it('fails clearly, with the raw reply, when the repair is invalid too', async () => {
    await service.create(counter(5), ctx);
    const error = await rejection(
      service.renderAndChat({ id: 'counter-5', variables: { text: 'hello' } }, ctx),
    );
    expect(error.code).toBe('UPSTREAM_ERROR');
    expect(error.message).toContain('did not match the output schema');
    expect(JSON.parse(error.details?.rawReply as string)).toEqual({ n: expect.any(Number) });
    expect(chatBodies()).toHaveLength(2);
  });

  it('validates the streamed reply at the end, repairing it when needed', async () => {
    await service.create(counter(300), ctx);
    const events = [];
    for await (const e of service.renderAndChatStream(
      { id: 'counter-300', variables: { text: 'y'.repeat(400) } },
      ctx,
    ))
      events.push(e);
    const done = events.at(-1);
    expect(done).toMatchObject({ type: 'done', repaired: true, data: { n: expect.any(Number) } });
  });
});

describe('field tools on the built-ins', () => {
  it('validateField returns { valid, reason } from the field-validation built-in', async () => {
    const result = await service.validateField(
      {
        fieldName: 'email',
        value: 'ada@example.com',
        fieldType: 'email',
        context: { name: 'Ada' },
      },
      ctx,
    );
    expect(result.valid).toBe(true);
    expect(result.reason).toContain('Value to check');
    expect(result).not.toHaveProperty('suggestedValue'); // only for invalid values
    const [body] = chatBodies();
    expect(body?.messages[1].content).toContain('<<<\nada@example.com\n>>>');
    expect(body?.messages[1].content).toContain('"name": "Ada"');
    expect(body?.format.required).toEqual(['valid', 'reason']);
    await vi.waitFor(() =>
      expect(usage.at(-1)).toMatchObject({ templateId: 'field-validation', templateVersion: 1 }),
    );
  });

  it('suggestFields returns { fields } from the object-type-suggestion built-in', async () => {
    const result = await service.suggestFields(
      { objectType: 'Invoice', existingFields: ['total'], maxFields: 5 },
      ctx,
    );
    expect(result).toEqual({ fields: [] }); // the fake answers arrays with []
    expect(chatBodies()[0]?.messages[1].content).toContain('Suggest at most 5 fields');
  });

  it('validates their input', async () => {
    const error = await rejection(service.validateField({ fieldName: '', value: 1 }, ctx));
    expect(error).toMatchObject({
      code: 'BAD_REQUEST',
      fieldErrors: [expect.objectContaining({ path: 'fieldName' })],
    });
  });
});
