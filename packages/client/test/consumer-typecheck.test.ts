import { execFileSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientRoot, distDir, ensureBuiltClient, repoRoot } from './helpers/built-client.js';

/**
 * A fresh consumer project with only the built client installed (dist + package.json, and the
 * client's own dependencies): no gateway, no core, no zod. Right calls must type-check; each
 * wrong call must fail to compile with an error that names what is wrong.
 */

const HEADER = `import { chatStream, createGatewayClient, GatewayClientError } from '@intellicore/llm-client';
const client = createGatewayClient({ url: 'http://localhost:8001', apiKey: 'key' });
`;

const RIGHT = `${HEADER}
import { isGatewayClientError, type GatewayErrorCode, type RouterInputs, type RouterOutputs } from '@intellicore/llm-client';

export async function main(signal: AbortSignal): Promise<void> {
  const models: RouterOutputs['models']['list'] = await client.models.list.query();
  const firstName: string | undefined = models[0]?.name;
  const show = await client.models.get.query({ name: 'llama3.2' });
  const caps: string[] | undefined = show.capabilities;

  const input: RouterInputs['chat']['completion'] = {
    model: 'llama3.2',
    messages: [{ role: 'user', content: 'hi' }],
    options: { temperature: 0.2, num_ctx: 2048 },
  };
  const answer = await client.chat.completion.mutate(input);
  const text: string = answer.message.content;
  const tokens: number = answer.usage.totalTokens;

  const stream = chatStream(client, { messages: [{ role: 'system', content: 's' }, { role: 'user', content: 'u' }] }, { signal });
  for await (const delta of stream) {
    const piece: string = delta;
    void piece;
  }
  const final = await stream.result;
  const ttft: number | undefined = final.timings.ttftMs;
  const completionTokens: number = final.usage.completionTokens;

  try {
    await client.models.delete.mutate({ name: 'x' });
  } catch (error) {
    const e = GatewayClientError.from(error);
    const code: GatewayErrorCode | 'NETWORK_ERROR' = e.gatewayCode;
    const retry: number | undefined = e.retryAfterSeconds;
    const field: string | undefined = e.fieldErrors[0]?.path;
    if (isGatewayClientError(e) && e.gatewayCode === 'MODEL_NOT_ALLOWED') void 0;
    void [code, retry, field];
  }
  void [firstName, caps, text, tokens, ttft, completionTokens];
}
`;

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

let dir: string;

function link(name: string) {
  const target = realpathSync(join(clientRoot, 'node_modules', name));
  mkdirSync(join(dir, 'node_modules', name, '..'), { recursive: true });
  symlinkSync(target, join(dir, 'node_modules', name), 'dir');
}

/** tsc diagnostics grouped by file (continuation lines stay with their error). */
function typecheck(): Map<string, string> {
  const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  let output = '';
  try {
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json', '--pretty', 'false'], {
      cwd: dir,
      encoding: 'utf8',
      stdio: 'pipe',
    });
  } catch (error) {
    output = String((error as { stdout?: string }).stdout ?? '');
  }
  const byFile = new Map<string, string>();
  let current = '';
  for (const line of output.split('\n')) {
    const m = /^([^\s(]+)\(\d+,\d+\): error/.exec(line);
    if (m) current = m[1] as string;
    if (current) byFile.set(current, `${byFile.get(current) ?? ''}${line}\n`);
  }
  return byFile;
}

describe('a consumer project with only the built client installed', () => {
  let diagnostics: Map<string, string>;

  beforeAll(() => {
    ensureBuiltClient();
    dir = mkdtempSync(join(tmpdir(), 'llm-client-consumer-'));
    const pkgDir = join(dir, 'node_modules', '@intellicore', 'llm-client');
    mkdirSync(pkgDir, { recursive: true });
    cpSync(join(clientRoot, 'package.json'), join(pkgDir, 'package.json'));
    cpSync(distDir, join(pkgDir, 'dist'), { recursive: true });
    for (const dep of ['@trpc/client', '@trpc/server']) link(dep);
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
    );
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          // @trpc/server's own declarations use Disposable (TS 5.2+ lib).
          lib: ['ES2023', 'ESNext.Disposable', 'DOM', 'DOM.Iterable'],
          types: [],
          strict: true,
          noEmit: true,
          // Our own d.ts must be checked too: a missing import there would otherwise turn into any.
          skipLibCheck: false,
        },
        include: ['*.ts', '*.cts'],
      }),
    );
    writeFileSync(join(dir, 'right.ts'), RIGHT);
    // CommonJS consumers get index.d.cts through the "require" condition.
    writeFileSync(
      join(dir, 'right-cjs.cts'),
      `import { createGatewayClient } from '@intellicore/llm-client';\nexport const list = () => createGatewayClient({ url: 'http://x' }).models.list.query();\n`,
    );
    for (const [name, { code }] of Object.entries(WRONG))
      writeFileSync(join(dir, `${name}.ts`), `${HEADER}${code}\n`);
    diagnostics = typecheck();
  }, 240_000);

  afterAll(() => {
    if (dir && !process.env.KEEP_CONSUMER) rmSync(dir, { recursive: true, force: true });
  });

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
