import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const clientRoot = fileURLToPath(new URL('../..', import.meta.url));
export const repoRoot = join(clientRoot, '..', '..');
export const distDir = join(clientRoot, 'dist');

/** Sources the built client depends on: its own, and the router types inlined into its d.ts. */
const inputs = [
  join(clientRoot, 'src'),
  join(clientRoot, 'package.json'),
  join(clientRoot, 'tsup.config.ts'),
  join(repoRoot, 'apps', 'gateway', 'src'),
  join(repoRoot, 'packages', 'core', 'src'),
];
const outputs = ['index.js', 'index.cjs', 'index.d.ts', 'index.d.cts'].map((f) => join(distDir, f));

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
 * Makes sure dist/ is the build of the current sources. CI builds before testing, so this is a
 * no-op there; locally it builds the client and what it needs (core, gateway d.ts) with turbo.
 * Several test files call it in parallel workers: flock serialises the builds.
 */
export function ensureBuiltClient(): void {
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
      '--filter=@intellicore/llm-client...',
      '--output-logs=errors-only',
    ],
    { cwd: repoRoot, stdio: 'pipe', timeout: 240_000 },
  );
}
