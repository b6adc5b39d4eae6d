import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuiltClient } from './helpers/built-client.js';
import { HEADER, RIGHT } from './helpers/consumer-code.js';
import { type ConsumerProject, createConsumerProject } from './helpers/consumer-project.js';

/**
 * A fresh consumer project with only the built client installed (dist + package.json, and the
 * client's own dependencies): no gateway, no core, no zod. Right calls must type-check; each
 * wrong call must fail to compile with an error that names what is wrong.
 */

/**
 * Each wrong call, where the compiler must report it (`at`: the first occurrence of that text
 * in the call) and, when the position alone is not telling, what the message must mention.
 */
const WRONG: Record<string, { code: string; at: string; mentions?: RegExp }> = {
  'wrong-role': {
    code: `void client.chat.completion.mutate({ messages: [{ role: 'robot', content: 'hi' }] });`,
    at: 'role',
    mentions: /"robot"/,
  },
  'wrong-missing-messages': {
    code: `void client.chat.completion.mutate({ model: 'llama3.2' });`,
    at: '{ model',
    mentions: /Property 'messages' is missing/,
  },
  'wrong-content-type': {
    code: `void client.chat.completion.mutate({ messages: [{ role: 'user', content: 42 }] });`,
    at: 'content',
  },
  'wrong-field-name': {
    code: `void client.models.get.query({ nam: 'llama3.2' });`,
    at: 'nam',
    mentions: /'nam' does not exist/,
  },
  'wrong-option-type': {
    code: `void client.chat.completion.mutate({ messages: [{ role: 'user', content: 'x' }], options: { temperature: 'hot' } });`,
    at: 'temperature',
  },
  'wrong-stream-input': {
    code: `void chatStream(client, { messages: 'hello' });`,
    at: 'messages',
  },
  'wrong-procedure': {
    code: `void client.chat.complete.mutate({ messages: [] });`,
    at: 'complete',
    mentions: /'complete' does not exist/,
  },
  'wrong-call-kind': {
    code: `void client.chat.completion.query({ messages: [{ role: 'user', content: 'x' }] });`,
    at: 'query',
    mentions: /'query' does not exist/,
  },
  'wrong-output-use': {
    code: `export async function f() { const a = await client.chat.completion.mutate({ messages: [{ role: 'user', content: 'x' }] }); const n: number = a.message.content; return n; }`,
    at: 'n: number',
    mentions: /'string' is not assignable to type 'number'/,
  },
  'wrong-error-code': {
    code: `export function f(e: GatewayClientError) { return e.gatewayCode === 'NO_SUCH_CODE'; }`,
    at: 'e.gatewayCode',
    mentions: /NO_SUCH_CODE/,
  },
};
const WRONG_LINE = HEADER.split('\n').length; // the wrong call is the line after the header

describe('a consumer project with only the built client installed', () => {
  let diagnostics: Map<string, string>;
  let project: ConsumerProject;

  beforeAll(() => {
    ensureBuiltClient();
    project = createConsumerProject({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        // @trpc/server's own declarations use Disposable (TS 5.2+ lib): see the README.
        lib: ['ES2023', 'ESNext.Disposable', 'DOM', 'DOM.Iterable'],
        types: [],
        strict: true,
        noEmit: true,
        // Our own d.ts must be checked too: a missing import there would otherwise turn into any.
        skipLibCheck: false,
      },
      include: ['*.ts', '*.cts'],
    });
    project.write('right.ts', RIGHT);
    // CommonJS consumers get index.d.cts through the "require" condition.
    project.write(
      'right-cjs.cts',
      `import { createGatewayClient } from '@intellicore/llm-client';\nexport const list = () => createGatewayClient({ url: 'http://x' }).models.list.query();\n`,
    );
    for (const [name, { code }] of Object.entries(WRONG))
      project.write(`${name}.ts`, `${HEADER}${code}\n`);
    diagnostics = project.typecheck();
  }, 240_000);

  afterAll(() => project?.remove());

  it('type-checks right calls (ESM and CJS) and the package declarations themselves', () => {
    const unexpected = [...diagnostics].filter(
      ([file]) => !Object.keys(WRONG).some((w) => file === `${w}.ts`),
    );
    expect(unexpected.map(([, text]) => text).join('')).toBe('');
  });

  it.each(Object.entries(WRONG))('%s fails to compile at the wrong field', (name, wrong) => {
    const errors = diagnostics.get(`${name}.ts`) ?? '';
    expect(errors, `${name}.ts compiled without errors`).not.toBe('');
    const column = wrong.code.indexOf(wrong.at) + 1;
    expect(errors, errors).toContain(`${name}.ts(${WRONG_LINE},${column}): error`);
    if (wrong.mentions) expect(errors).toMatch(wrong.mentions);
  });
});
