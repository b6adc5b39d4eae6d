import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';
import { sourceAliases } from '../../vitest.shared.js';

const client = fileURLToPath(new URL('../../packages/client/src/index.ts', import.meta.url));

export default defineProject({
  resolve: { alias: { ...sourceAliases, '@intellicore/llm-client': client } },
  test: {
    name: 'playground',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    // Builds the playground (vite build) once per run when dist is older than its sources.
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
