import { defineConfig, type Options } from 'tsup';

const shared: Options = {
  entry: ['src/index.ts'],
  sourcemap: true,
  clean: false, // two configs write to dist/ in parallel; `pnpm build` empties it first
  target: 'es2022',
  platform: 'neutral',
  // Inline the gateway's router type (and the core types it uses) so consumers need neither
  // package; every other type import (@trpc/*) stays an import.
  dts: { resolve: ['@intellicore/llm-gateway', '@intellicore/llm-core'] },
};

// Every dependency stays external (an app's bundler dedupes @trpc/*); ESM for browsers and Node,
// CJS for require().
export default defineConfig([
  { ...shared, format: ['esm'], external: ['@trpc/client', '@trpc/server'] },
  { ...shared, format: ['cjs'], external: ['@trpc/client', '@trpc/server'] },
]);
