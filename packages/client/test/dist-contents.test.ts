import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleClientForBrowser } from './helpers/browser-bundle.js';
import { distDir, ensureBuiltClient } from './helpers/built-client.js';

/** Every module specifier a file imports, requires or re-exports. */
function specifiers(code: string): string[] {
  const found = new Set<string>();
  const patterns = [
    /(?:^|[\s;}])from\s*["']([^"'\n]+)["']/g,
    /(?:^|[\s;}])import\s*["']([^"'\n]+)["']/g,
    /\bimport\s*\(\s*["']([^"'\n]+)["']\s*\)/g,
    /\brequire\s*\(\s*["']([^"'\n]+)["']\s*\)/g,
  ];
  for (const pattern of patterns) for (const m of code.matchAll(pattern)) found.add(m[1] as string);
  return [...found].sort();
}

/** Server-side packages that must never reach the SDK, at runtime or in its types. */
const SERVER_PACKAGES = [
  '@intellicore/llm-gateway',
  '@intellicore/llm-core',
  '@intellicore/testkit',
  'ollama',
  'node-llama-cpp',
  'pg',
  'better-sqlite3',
  'ioredis',
  'pino',
  'prom-client',
  'zod',
  'eta',
];

const read = (file: string) => readFileSync(join(distDir, file), 'utf8');
const bare = (s: string) => !s.startsWith('.') && !s.startsWith('node:');

describe('the built client (dist/)', () => {
  beforeAll(() => ensureBuiltClient(), 240_000);

  it.each(['index.js', 'index.cjs'])('%s imports only the client runtime deps', (file) => {
    const imported = specifiers(read(file)).filter(bare);
    for (const name of SERVER_PACKAGES) expect(imported).not.toContain(name);
    // From @trpc/server only the observable primitive links are built with (@trpc/client
    // imports it too); no transformer, no EventSource ponyfill.
    expect(imported).not.toContain('@trpc/server');
    expect(imported.filter((s) => s.startsWith('@trpc/server/'))).toEqual([
      '@trpc/server/observable',
    ]);
    for (const s of imported) expect(['@trpc/client', '@trpc/server/observable']).toContain(s);
    expect(imported).toContain('@trpc/client');
  });

  it.each(['index.d.ts', 'index.d.cts'])('%s is self-contained (router types inlined)', (file) => {
    const text = read(file);
    const imported = specifiers(text).filter(bare);
    for (const name of SERVER_PACKAGES) expect(imported).not.toContain(name);
    for (const s of imported) {
      expect(s, `${file} imports ${s}`).toMatch(/^(@trpc\/client|@trpc\/server(\/.*)?)$/);
    }
    // The router's procedures made it in: the SDK is typed without the gateway installed.
    expect(text).toMatch(/completion/);
    expect(text).toMatch(/AppRouter/);
  });

  it('is small: gzip size of the module and of a browser bundle with its deps', async () => {
    const own = gzipSync(read('index.js')).length;
    const bundle = await bundleClientForBrowser({ minify: true });
    expect(specifiers(bundle).filter(bare)).toEqual([]);
    const bundled = gzipSync(bundle).length;
    console.log(
      `client size (gzip): dist/index.js ${(own / 1024).toFixed(1)} KiB; ` +
        `browser bundle with @trpc/client ${(bundled / 1024).toFixed(1)} KiB (minified)`,
    );
    expect(own).toBeLessThan(10 * 1024);
    expect(bundled).toBeLessThan(40 * 1024);
  });
});
