import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/**
 * The playground is a static SPA served by the gateway at `/` (PLAYGROUND_DIR). JSX goes through
 * esbuild's automatic runtime: no Babel, no React plugin (no fast refresh needed, faster builds).
 * In the monorepo the SDK is bundled from its sources, so a build never sees a stale SDK dist.
 */
export default defineConfig({
  root: here('.'),
  base: '/',
  esbuild: { jsx: 'automatic' },
  resolve: {
    alias: [
      { find: '@intellicore/llm-client', replacement: here('../../packages/client/src/index.ts') },
      // The template preview runs core's eta engine in the browser: eta's file-free build.
      { find: /^eta$/, replacement: 'eta/core' },
    ],
  },
  build: {
    outDir: here('dist'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 1024,
    rollupOptions: {
      onwarn(warning, warn) {
        // React Query's "use client" directives mean nothing in a client-only SPA.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  server: {
    // `pnpm dev` next to a gateway on :8001: the API paths go to the gateway.
    proxy: Object.fromEntries(
      ['/trpc', '/v1', '/api', '/docs.json', '/healthz', '/readyz'].map((p) => [
        p,
        'http://127.0.0.1:8001',
      ]),
    ),
  },
});
