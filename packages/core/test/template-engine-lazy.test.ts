import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RENDER_LIMITS } from '../src/templates/runtime/budget.js';
import { lazyTemplateEngine } from '../src/templates/runtime/lazy-engine.js';

const src = fileURLToPath(new URL('../src', import.meta.url));
const files = (readdirSync(src, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts'));
const valueImports = (file: string, from: RegExp): boolean =>
  readFileSync(join(src, file), 'utf8')
    .split(/\n(?=import |export )/)
    .some((statement) => /^(import|export) (?!type )/.test(statement) && from.test(statement));

/** eta and acorn load with the first template written or rendered, not with core. */
describe('the template language loads on first use', () => {
  it('is imported or re-exported statically only inside the engine module, which only import() reaches', () => {
    const language = files.filter((f) => valueImports(f, /from '(eta|acorn)'/));
    expect(language.sort()).toEqual(['templates/runtime/engine.ts', 'templates/safety/checker.ts']);
    const checker = files.filter((f) => valueImports(f, /from '\.\.?\/(safety\/)?checker\.js'/));
    expect(checker).toEqual(['templates/runtime/engine.ts']);
    const engine = files.filter((f) => valueImports(f, /from '\.\.?\/(runtime\/)?engine\.js'/));
    expect(engine.filter((f) => f.startsWith('templates/'))).toEqual([]);
    expect(readFileSync(join(src, 'templates/runtime/lazy-engine.ts'), 'utf8')).toContain(
      "import('./engine.js')",
    );
  });

  it('creates one engine, however many callers ask at once, with the given limits', async () => {
    const engine = lazyTemplateEngine({ ...DEFAULT_RENDER_LIMITS, maxOutputChars: 8 });
    const [a, b] = await Promise.all([engine(), engine()]);
    expect(a).toBe(b);
    expect(await engine()).toBe(a);
    expect(a.render('k', 'short', {})).toBe('short');
    expect(() => a.render('k2', 'longer than eight', {})).toThrow(/output/i);
  });
});
