import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from '@intellicore/testkit';

export const repoRoot = fileURLToPath(new URL('../../../..', import.meta.url));

/** Makes sure the dist/ folders `node scripts/start.mjs` runs (gateway, core, testkit) are fresh. */
export function ensureBuiltGateway(): void {
  ensureBuilt({
    repoRoot,
    outputs: [
      'apps/gateway/dist/main.js',
      'packages/core/dist/index.js',
      'packages/testkit/dist/index.js',
    ].map((p) => join(repoRoot, p)),
    inputs: [
      ...['apps/gateway', 'packages/core', 'packages/testkit'].flatMap((pkg) =>
        ['src', 'package.json', 'tsup.config.ts'].map((p) => join(repoRoot, pkg, p)),
      ),
      join(repoRoot, 'scripts/tsup-one-byte-source.ts'),
    ],
    filters: ['@intellicore/llm-gateway...', '@intellicore/testkit...'],
  });
}
