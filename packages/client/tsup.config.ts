import { defineConfig, type Options } from 'tsup';

const shared: Options = {
  entry: ['src/index.ts'],
  sourcemap: true,
  clean: false, // two configs write to dist/ in parallel; `pnpm build` empties it first
  target: 'es2022',
  platform: 'neutral',
  // Inline the gateway's router type (and the core types it uses) so consumers need neither
  // package; every other type import (@trpc/*, superjson, eventsource) stays an import.
  dts: { resolve: ['@intellicore/llm-gateway', '@intellicore/llm-core'] },
};

export default defineConfig([
  // ESM for browsers and Node: every dependency stays external (the app's bundler dedupes them).
  {
    ...shared,
    format: ['esm'],
    external: ['@trpc/client', '@trpc/server', 'superjson', 'eventsource'],
  },
  // CJS for require(): superjson ships ESM only, which Node < 20.19 cannot require(), so it is
  // bundled into this build.
  {
    ...shared,
    format: ['cjs'],
    external: ['@trpc/client', '@trpc/server', 'eventsource'],
    noExternal: ['superjson'],
  },
]);
