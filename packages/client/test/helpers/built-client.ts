import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from '@intellicore/testkit';

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

/**
 * Makes sure dist/ is the build of the current sources. CI builds before testing, so this is a
 * no-op there; locally it builds the client and what it needs (core, gateway d.ts) with turbo.
 * Several test files call it in parallel workers: flock serialises the builds.
 */
export function ensureBuiltClient(): void {
  ensureBuilt({ repoRoot, inputs, outputs, filters: ['@intellicore/llm-client...'] });
}
