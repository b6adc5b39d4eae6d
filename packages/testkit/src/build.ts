import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface EnsureBuiltOptions {
  /** The repository root (where turbo runs). */
  repoRoot: string;
  /** Files or folders the build reads: newer than any output means stale. */
  inputs: string[];
  /** Files the build writes. */
  outputs: string[];
  /** turbo `--filter` values, e.g. `@intellicore/llm-client...`. */
  filters: string[];
}

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

function isStale({ inputs, outputs }: EnsureBuiltOptions): boolean {
  if (!outputs.every((f) => existsSync(f))) return true;
  const built = Math.min(...outputs.map((f) => statSync(f).mtimeMs));
  return inputs.some((p) => newestMtime(p) > built);
}

/**
 * Makes sure some dist/ folders are the build of the current sources, for tests that run built
 * code (the SDK as shipped, `pnpm start`). CI builds before testing, so this is a no-op there;
 * locally turbo builds what is missing or stale. Parallel test workers share one flock, so they
 * never build the same dist at once.
 */
export function ensureBuilt(options: EnsureBuiltOptions): void {
  if (!isStale(options)) return;
  execFileSync(
    'flock',
    [
      join(options.repoRoot, 'node_modules', '.client-build.lock'),
      'pnpm',
      'exec',
      'turbo',
      'run',
      'build',
      ...options.filters.map((f) => `--filter=${f}`),
      '--output-logs=errors-only',
    ],
    { cwd: options.repoRoot, stdio: 'pipe', timeout: 240_000 },
  );
}
