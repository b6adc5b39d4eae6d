import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuiltGateway, repoRoot } from './quickstart/built-dist.js';

// Node keeps each module's source for the process's life; one character above U+00FF makes V8
// store a whole bundle as a two-byte string (scripts/tsup-one-byte-source.ts).
describe('the shipped bundles', () => {
  beforeAll(() => ensureBuiltGateway(), 240_000);

  it.each(['apps/gateway/dist', 'packages/core/dist'])('%s holds one-byte sources only', (dir) => {
    const bundles = readdirSync(join(repoRoot, dir)).filter((f) => /\.(c?js)$/.test(f));
    expect(bundles.length).toBeGreaterThan(0);
    const wide = bundles.filter((f) =>
      /[\u0100-\uffff]/.test(readFileSync(join(repoRoot, dir, f), 'utf8')),
    );
    expect(wide).toEqual([]);
  });
});
