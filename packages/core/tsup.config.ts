import { defineConfig } from 'tsup';
import { oneByteSource } from '../../scripts/tsup-one-byte-source.js';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  platform: 'node',
  ...oneByteSource,
});
