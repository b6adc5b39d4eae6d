import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  // The router type is inlined so consumers need neither the gateway nor core installed.
  dts: { resolve: true },
  sourcemap: true,
  clean: true,
  target: 'es2022',
  platform: 'neutral',
  external: ['@trpc/client', '@trpc/server', 'superjson', 'eventsource'],
});
