// The import graph of packages/core/src, read from the files: the layers read top-down.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = fileURLToPath(new URL('../src', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory()
      ? sourceFiles(join(dir, d.name))
      : d.name.endsWith('.ts')
        ? [join(dir, d.name)]
        : [],
  );
}

/** Relative imports of a file (static, `export … from`, `import()` and `import('…').T` types). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [
    ...text.matchAll(/\bfrom\s+'(\.[^']+)'/g),
    ...text.matchAll(/\bimport\(\s*'(\.[^']+)'\s*\)/g),
  ].map((m) => m[1] as string);
  return specifiers.map((s) => resolve(dirname(file), s.replace(/\.js$/, '.ts')));
}

const files = sourceFiles(src);
const graph = new Map(files.map((f) => [f, importsOf(f)]));
const name = (file: string) => relative(src, file);

describe('layering of packages/core/src', () => {
  it('reads every relative import (the graph is not empty)', () => {
    expect(files.length).toBeGreaterThan(50);
    for (const targets of graph.values()) {
      for (const target of targets) expect(files, `${name(target)} exists`).toContain(target);
    }
  });

  it('has no import cycle, type-only imports included', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (file: string) => {
      state.set(file, 'open');
      stack.push(file);
      for (const next of graph.get(file) ?? []) {
        if (state.get(next) === 'open') {
          cycles.push([...stack.slice(stack.indexOf(next)), next].map(name).join(' → '));
        } else if (!state.has(next)) visit(next);
      }
      stack.pop();
      state.set(file, 'done');
    };
    for (const file of files) if (!state.has(file)) visit(file);
    expect(cycles).toEqual([]);
  });

  it('providers, routing and stream folds never import the service layer', () => {
    const below = files.filter((f) => /^(providers|routing|streams)\//.test(name(f)));
    expect(below.length).toBeGreaterThan(20);
    const upward = below.flatMap((f) =>
      (graph.get(f) ?? [])
        .filter((t) => name(t).startsWith('service/'))
        .map((t) => `${name(f)} → ${name(t)}`),
    );
    expect(upward).toEqual([]);
  });
});
