import { type FakeOllama, startFakeOllama } from '@intellicore/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../src/testing.js';
import { collect, createTestClient, failureOf, type TestClient } from './helpers/trpc-client.js';

// The templates router and chat.validateField/suggestFields through the real tRPC client,
// with a SQLite (in-memory) store and the fake Ollama.
let fake: FakeOllama;
let gw: TestGateway;
let user: TestClient;
let admin: TestClient;

beforeAll(async () => {
  fake = await startFakeOllama();
  gw = await startTestGateway({
    ollamaUrl: fake.url,
    env: { API_KEYS: 'user-key', ADMIN_API_KEYS: 'admin-key' },
  });
  user = createTestClient(gw.url, 'user-key');
  admin = createTestClient(gw.url, 'admin-key');
});

afterAll(async () => {
  await gw?.close();
  await fake?.close();
});

const greeting = {
  id: 'greeting',
  name: 'Greeting',
  template: 'Say hello to <%= it.name %>.',
  variables: [{ name: 'name', type: 'string' as const, required: true }],
  model: 'llama3.2',
  tags: ['demo'],
};

describe('templates', () => {
  it('lists the built-ins', async () => {
    const page = await user.templates.list.query({});
    expect(page.items.map((t) => t.id)).toEqual(
      expect.arrayContaining(['field-validation', 'object-type-suggestion']),
    );
  });

  it('create, update, versions, setLabel, get by label, render, delete', async () => {
    const v1 = await admin.templates.create.mutate(greeting);
    expect(v1).toMatchObject({ id: 'greeting', version: 1, builtIn: false });
    const v2 = await admin.templates.update.mutate({
      id: 'greeting',
      template: 'Greet <%= it.name %> warmly.',
      commitMessage: 'warmer',
    });
    expect(v2.version).toBe(2);
    const versions = await user.templates.versions.query({ id: 'greeting' });
    expect(versions.map((v) => v.version).sort()).toEqual([1, 2]);
    await admin.templates.setLabel.mutate({ id: 'greeting', version: 1, label: 'production' });
    const prod = await user.templates.get.query({ id: 'greeting', label: 'production' });
    expect(prod.template).toBe(greeting.template);
    const rendered = await user.templates.render.mutate({
      id: 'greeting',
      variables: { name: 'Ada' },
    });
    expect(rendered.prompt).toBe('Greet Ada warmly.');
    expect(rendered.version).toBe(2);
    expect(await admin.templates.delete.mutate({ id: 'greeting' })).toEqual({
      id: 'greeting',
      deleted: true,
    });
    const gone = await failureOf(user.templates.get.query({ id: 'greeting' }));
    expect(gone).toMatchObject({ gatewayCode: 'TEMPLATE_NOT_FOUND', httpStatus: 404 });
  });

  it('renderAndChat and renderAndChatStream', async () => {
    await admin.templates.create.mutate({ ...greeting, id: 'greeting-chat' });
    const out = await user.templates.renderAndChat.mutate({
      id: 'greeting-chat',
      variables: { name: 'Bob' },
    });
    expect(out.content).toBe('echo(llama3.2): Say hello to Bob.');
    expect(out.result.usage.completionTokens).toBeGreaterThan(0);
    const events = await collect(
      user.templates.renderAndChatStream.subscribe({
        id: 'greeting-chat',
        variables: { name: 'Bob' },
      }),
    );
    const last = events.at(-1)!.data;
    if (last.type !== 'done') throw new Error('no done event');
    expect(last.content).toBe(out.content);
    expect(events.length).toBeGreaterThan(2);
    // The request log names the template and version each call rendered.
    const logged = await admin.requests.list.query({ limit: 2 });
    expect(logged.items.map((e) => [e.route, e.template])).toEqual([
      ['trpc:templates.renderAndChatStream', 'greeting-chat@1'],
      ['trpc:templates.renderAndChat', 'greeting-chat@1'],
    ]);
  });

  it('typed errors: MISSING_VARIABLES, TEMPLATE_INVALID, FORBIDDEN', async () => {
    await admin.templates.create.mutate({ ...greeting, id: 'needs-name' });
    const missing = await failureOf(
      user.templates.render.mutate({ id: 'needs-name', variables: {} }),
    );
    expect(missing.gatewayCode).toBe('MISSING_VARIABLES');
    const unsafe = await failureOf(
      admin.templates.create.mutate({
        ...greeting,
        id: 'evil',
        template: '<%= it.constructor.constructor("return process")().exit() %>',
      }),
    );
    expect(unsafe.gatewayCode).toBe('TEMPLATE_INVALID');
    const denied = await failureOf(user.templates.create.mutate({ ...greeting, id: 'nope' }));
    expect(denied.gatewayCode).toBe('FORBIDDEN');
  });
});

describe('chat.validateField and chat.suggestFields', () => {
  it('answer typed results from the built-ins', async () => {
    const check = await user.chat.validateField.mutate({ fieldName: 'email', value: 'a@b.c' });
    expect(typeof check.valid).toBe('boolean');
    expect(typeof check.reason).toBe('string');
    const fields = await user.chat.suggestFields.mutate({ objectType: 'Customer' });
    expect(Array.isArray(fields.fields)).toBe(true);
    const sent = fake.journal.entries().findLast((e) => e.path === '/api/chat');
    expect(sent?.body).toHaveProperty('format');
  });
});
