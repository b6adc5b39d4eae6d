import { defineProject } from 'vitest/config';
import { sourceAliases } from '../../vitest.shared.js';

export default defineProject({
  resolve: { alias: sourceAliases },
  test: {
    name: 'client',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    // Real servers and a real engine on 2 shared cores: the 5 s default is too tight under load.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
