import { execFile } from 'node:child_process';
import { mkdirSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientRoot, ensureBuiltClient } from './helpers/built-client.js';
import { type LiveGateway, startLiveGateway } from './helpers/live-gateway.js';
import { ROOT_README, readmeSnippet } from './helpers/readme-snippets.js';

/**
 * The README's Node snippet, run as written (a separate node process importing the BUILT
 * package by its name) against a live gateway; and the CommonJS entry point, required.
 * (The browser snippet runs in browser.integration.test.ts.)
 */
const run = promisify(execFile);
const KEY = 'sk-readme-test';
// Inside the package, so `@intellicore/llm-client` resolves to dist/ through self-reference.
const workDir = join(clientRoot, 'test-artifacts', `readme-${process.pid}`);

describe('README snippets (Node)', () => {
  let gateway: LiveGateway;

  beforeAll(async () => {
    ensureBuiltClient();
    mkdirSync(workDir, { recursive: true });
    gateway = await startLiveGateway({ API_KEYS: KEY });
  }, 240_000);
  afterAll(async () => {
    await gateway?.close();
    rmSync(workDir, { recursive: true, force: true });
    try {
      rmdirSync(join(workDir, '..')); // only when no other run is using it
    } catch {}
  });

  const env = () => ({ ...process.env, GATEWAY_URL: gateway.url, GATEWAY_API_KEY: KEY });

  it('the repository README shows exactly the snippets that run here', () => {
    expect(readmeSnippet('node', ROOT_README)).toBe(readmeSnippet('node'));
    expect(readmeSnippet('browser', ROOT_README)).toBe(readmeSnippet('browser'));
  });

  it('the Node snippet (ESM) runs as written', async () => {
    const file = join(workDir, 'node-snippet.mjs');
    writeFileSync(file, readmeSnippet('node'));
    const { stdout } = await run(process.execPath, [file], { env: env(), timeout: 20_000 });
    expect(stdout).toMatch(/^models: .*llama3\.2/m);
    expect(stdout).toMatch(/^completion: echo\(llama3\.2[^)]*\): Say hello$/m);
    expect(stdout).toMatch(/echo\(llama3\.2[^)]*\): Tell me a story/);
    expect(stdout).toMatch(/^tokens: \d+ in, \d+ out; TTFT [\d.]+ ms$/m);
    expect(stdout).toMatch(/^error: MODEL_NOT_(FOUND|ALLOWED) - /m);
  });

  it('the CommonJS entry point works with require()', async () => {
    const file = join(workDir, 'require.cjs');
    writeFileSync(
      file,
      `const { createGatewayClient, chatStream } = require('@intellicore/llm-client');
const client = createGatewayClient({ url: process.env.GATEWAY_URL, apiKey: process.env.GATEWAY_API_KEY });
(async () => {
  const models = await client.models.list.query();
  let text = '';
  for await (const delta of chatStream(client, { model: 'llama3.2', messages: [{ role: 'user', content: 'from cjs' }] })) text += delta;
  console.log(models.length > 0, text);
})().catch((e) => { console.error(e); process.exit(1); });
`,
    );
    const { stdout } = await run(process.execPath, [file], { env: env(), timeout: 20_000 });
    expect(stdout.trim()).toMatch(/^true echo\(llama3\.2[^)]*\): from cjs$/);
  });
});
