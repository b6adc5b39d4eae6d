import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** The README is part of the product: its quick start, CI and configuration must stay true. */
const repo = (path: string) =>
  readFileSync(fileURLToPath(new URL(`../../../${path}`, import.meta.url)), 'utf8');
const readme = repo('README.md');

describe('README', () => {
  const quickStart = /## Quick start[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  const lines = quickStart.split('\n').filter((l) => l.trim().length > 0);

  it('has a quick start of exactly two lines', () => {
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/ install && .* start$/);
  });

  it('CI runs exactly the README test command', () => {
    const ci = repo('.ci/run').split('\n');
    expect(ci).toContain(lines[1]);
  });

  it('documents every variable of .env.example', () => {
    const names = [...repo('.env.example').matchAll(/^([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]);
    expect(names.length).toBeGreaterThan(20);
    const missing = names.filter((name) => !readme.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });
});
