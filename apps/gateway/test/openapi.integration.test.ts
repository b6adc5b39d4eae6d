import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import SwaggerParser from '@apidevtools/swagger-parser';
import { type FakeOllama, fakeChatReply, startFakeOllama } from '@intellicore/testkit';
import { Ajv2020 } from 'ajv/dist/2020.js';
import openapiTS, { astToString } from 'openapi-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REST_ROUTES } from '../src/rest/routes.js';
import { startTestGateway, type TestGateway } from '../src/testing.js';

// The live /openapi.json: a valid OpenAPI 3.1 document whose every schema is valid JSON Schema
// 2020-12, covering every REST route; and a client generated from it (openapi-typescript types
// + openapi-fetch) that type-checks against the document and calls the gateway.
let fake: FakeOllama;
let gw: TestGateway;
// biome-ignore lint/suspicious/noExplicitAny: the document is read by path
let doc: any;
const gatewayDir = fileURLToPath(new URL('..', import.meta.url));
// Inside the gateway package, so the generated client resolves openapi-fetch from its deps.
const outDir = join(gatewayDir, 'test-artifacts', `openapi-client-${process.pid}`);

beforeAll(async () => {
  fake = await startFakeOllama();
  gw = await startTestGateway({
    ollamaUrl: fake.url,
    env: { API_KEYS: 'sk-user', ADMIN_API_KEYS: 'sk-admin' },
  });
  const response = await fetch(`${gw.url}/openapi.json`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
  doc = await response.json();
});

afterAll(async () => {
  rmSync(outDir, { recursive: true, force: true });
  await gw?.close();
  await fake?.close();
});

describe('/openapi.json', () => {
  it('is a valid OpenAPI 3.1 document (swagger-parser)', async () => {
    expect(doc.openapi).toBe('3.1.0');
    await expect(SwaggerParser.validate(structuredClone(doc))).resolves.toBeDefined();
    // The validator does reject a broken document (a response without its description).
    const broken = structuredClone(doc);
    delete broken.paths['/api/v1/models'].get.responses['200'].description;
    await expect(SwaggerParser.validate(broken)).rejects.toThrow(/description/);
  });

  it('has only valid JSON Schema 2020-12 schemas', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    ajv.addSchema({ $id: 'doc', components: doc.components });
    for (const name of Object.keys(doc.components.schemas)) {
      expect(() => ajv.getSchema(`doc#/components/schemas/${name}`), name).not.toThrow();
    }
    const validate = ajv.getSchema('doc#/components/schemas/ChatCompletionRequest')!;
    expect(validate({ messages: [{ role: 'user', content: 'x' }], stream: true })).toBe(true);
    expect(validate({ messages: [{ role: 'robot', content: 'x' }] })).toBe(false);
  });

  it('describes every REST route: operation id, auth, parameters, body, answers, errors', () => {
    const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item as object).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations.sort()).toEqual(REST_ROUTES.map((r) => `${r.method} ${r.path}`).sort());
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({
      type: 'http',
      scheme: 'bearer',
    });

    const chat = doc.paths['/api/v1/chat/completions'].post;
    expect(chat.operationId).toBe('chatCompletion');
    expect(chat.requestBody.content['application/json'].schema.$ref).toBe(
      '#/components/schemas/ChatCompletionRequest',
    );
    expect(doc.components.schemas.ChatCompletionRequest.required).toEqual(['messages']);
    expect(doc.components.schemas.ChatCompletionRequest.properties.stream.type).toBe('boolean');
    // One content type, so generated clients type `data` as the JSON answer; the stream's
    // events are described beside it.
    expect(Object.keys(chat.responses['200'].content)).toEqual(['application/json']);
    expect(chat.responses['200']['x-stream-events'].$ref).toBe(
      '#/components/schemas/ChatStreamEvent',
    );
    expect(
      doc.components.schemas.ChatStreamEvent.oneOf ?? doc.components.schemas.ChatStreamEvent.anyOf,
    ).toHaveLength(2);
    expect(chat.responses['401'].description).toBe('`UNAUTHORIZED`');
    expect(chat.responses['429'].description).toBe('`RATE_LIMITED`');
    expect(chat.responses['403'].description).toBe('`MODEL_NOT_ALLOWED`');

    const health = doc.paths['/api/v1/health'].get;
    expect(health.security).toEqual([]);
    expect(doc.paths['/api/v1/health/ready'].get.responses['503']).toBeDefined();

    const del = doc.paths['/api/v1/models/{name}'].delete;
    expect(del.parameters).toEqual([
      {
        name: 'name',
        in: 'path',
        required: true,
        schema: expect.objectContaining({ type: 'string' }),
      },
    ]);
    expect(del.responses['403'].description).toContain('`FORBIDDEN`');
    expect(del.description).toContain('admin API key');

    const get = doc.paths['/api/v1/templates/{id}'].get;
    expect(get.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`)).toEqual([
      'path:id',
      'query:version',
      'query:label',
    ]);
    const usage = doc.paths['/api/v1/usage/summary'].get.parameters;
    expect(usage.find((p: { name: string }) => p.name === 'groupBy')).toMatchObject({
      in: 'query',
      required: true,
      schema: { enum: ['key', 'model', 'template', 'day'] },
    });
    expect(doc.paths['/api/v1/models/pull'].post.responses['200'].content).toHaveProperty(
      'text/event-stream',
    );
  });
});

const CLIENT = `import createClient from 'openapi-fetch';
import type { paths } from './schema.js';

export async function run(baseUrl: string, apiKey: string) {
  const client = createClient<paths>({ baseUrl, headers: { authorization: \`Bearer \${apiKey}\` } });
  const models = await client.GET('/api/v1/models');
  const names: string[] = (models.data ?? []).map((m) => m.name);
  const one = await client.GET('/api/v1/models/{name}', { params: { path: { name: 'llama3.2:1b' } } });
  const family: string | undefined = one.data?.details.family;
  const chat = await client.POST('/api/v1/chat/completions', {
    body: { model: 'llama3.2', messages: [{ role: 'user', content: 'hello generated client' }] },
  });
  const content: string | undefined = chat.data?.message.content;
  const bad = await client.POST('/api/v1/chat/completions', { body: { messages: [] } });
  const code: string | undefined = bad.error?.error.code;
  const page = await client.GET('/api/v1/templates', { params: { query: { tag: 'built-in', limit: 2 } } });
  return { names, family, content, code, status: bad.response.status, templates: page.data?.items.length };
}

export function typeErrors(client: ReturnType<typeof createClient<paths>>) {
  // @ts-expect-error: the role enum comes from the zod schema
  void client.POST('/api/v1/chat/completions', { body: { messages: [{ role: 'robot', content: 'x' }] } });
  // @ts-expect-error: a path that does not exist
  void client.GET('/api/v1/nope');
}
`;

describe('a client generated from /openapi.json', () => {
  it('type-checks (openapi-typescript + openapi-fetch) and calls models and chat', async () => {
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, 'package.json'), '{ "type": "module" }\n');
    writeFileSync(join(outDir, 'schema.d.ts'), astToString(await openapiTS(doc)));
    writeFileSync(join(outDir, 'client.ts'), CLIENT);
    const tsc = join(gatewayDir, '../../node_modules/.bin/tsc');
    const args = ['--noEmit', '--strict', '--target', 'es2022', '--module', 'nodenext'];
    const typecheck = await promisify(execFile)(tsc, [...args, '--skipLibCheck', 'client.ts'], {
      cwd: outDir,
    }).catch((error: { stdout: string }) => ({ stdout: `tsc failed:\n${error.stdout}` }));
    expect(typecheck.stdout).toBe('');

    const client = await import(join(outDir, 'client.ts'));
    const out = await client.run(gw.url, 'sk-user');
    expect(out.names).toContain('llama3.2:1b');
    expect(out.family).toBe('llama');
    expect(out.content).toBe(
      fakeChatReply([{ role: 'user', content: 'hello generated client' }], 'llama3.2'),
    );
    expect(out).toMatchObject({ code: 'BAD_REQUEST', status: 400, templates: 2 });
  }, 90_000);
});
