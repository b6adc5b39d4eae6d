import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../..', import.meta.url));

/** What `node scripts/start.mjs` runs: the built gateway, core (its runtime import), testkit. */
const outputs = [
  'apps/gateway/dist/main.js',
  'packages/core/dist/index.js',
  'packages/testkit/dist/index.js',
].map((p) => join(repoRoot, p));

const inputs = ['apps/gateway', 'packages/core', 'packages/testkit'].flatMap((pkg) =>
  ['src', 'package.json', 'tsup.config.ts'].map((p) => join(repoRoot, pkg, p)),
);

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

function isStale(): boolean {
  if (!outputs.every((f) => existsSync(f))) return true;
  const built = Math.min(...outputs.map((f) => statSync(f).mtimeMs));
  return inputs.some((p) => newestMtime(p) > built);
}

/**
 * Makes sure the dist/ folders `pnpm start` runs are the build of the current sources. CI builds
 * before testing (a no-op there); locally turbo builds what is missing or stale. The lock is the
 * one the client's tests use for their builds, so parallel workers never build the same dist.
 */
export function ensureBuiltGateway(): void {
  if (!isStale()) return;
  execFileSync(
    'flock',
    [
      join(repoRoot, 'node_modules', '.client-build.lock'),
      'pnpm',
      'exec',
      'turbo',
      'run',
      'build',
      '--filter=@intellicore/llm-gateway...',
      '--filter=@intellicore/testkit...',
      '--output-logs=errors-only',
    ],
    { cwd: repoRoot, stdio: 'pipe', timeout: 240_000 },
  );
}
