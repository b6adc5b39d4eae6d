import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const script = fileURLToPath(new URL('./fixtures/young-generation.ts', import.meta.url));

interface Sizes {
  before: number;
  during: number;
  after: number;
}

/** New-space size (MB) in a fresh process around start-up-like allocation, and after release. */
function youngGeneration(args: string[], v8Flags: string[] = []): Sizes {
  // tsx as a loader only: it compiles in its own thread, so the measured heap is the script's.
  const out = execFileSync(process.execPath, [...v8Flags, '--import', 'tsx', script, ...args], {
    cwd: appDir,
    env: { PATH: process.env.PATH ?? '' },
    encoding: 'utf8',
  });
  return JSON.parse(out) as Sizes;
}

describe('young generation during start-up (startup-heap.ts)', () => {
  it('does not grow while held, and grows again once released', () => {
    const free = youngGeneration([]);
    const held = youngGeneration(['--hold']);
    // Without the hold, start-up-like allocation (40 MB kept) grows the semi-spaces several times.
    expect(free.during).toBeGreaterThanOrEqual(free.before * 4);
    expect(held.during).toBe(held.before);
    // Released: the same allocation grows it as V8 would, so a loaded gateway keeps its sizing.
    expect(held.after).toBeGreaterThanOrEqual(held.before * 4);
  });

  it("leaves an operator's own growth factor alone", () => {
    const own = youngGeneration(['--hold'], ['--semi-space-growth-factor=4']);
    expect(own.during).toBeGreaterThanOrEqual(own.before * 4);
  });
});
