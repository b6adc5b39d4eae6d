import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { defineConfig } from 'tsup';
import { oneByteSource } from '../../scripts/tsup-one-byte-source.js';
import { DOCS_ASSET_FILES, DOCS_LICENSE_FILES } from './src/rest/docs-asset-files.js';

const require = createRequire(import.meta.url);

/** Swagger UI's and ReDoc's files (and licences) into dist/docs-assets/: the deployed gateway
 * serves /docs and /redoc from there, without those packages (they are devDependencies). */
function copyDocsAssets(): void {
  const out = join('dist', 'docs-assets');
  mkdirSync(out, { recursive: true });
  for (const [name, [pkg, file]] of Object.entries({
    ...DOCS_ASSET_FILES,
    ...DOCS_LICENSE_FILES,
  })) {
    copyFileSync(join(dirname(require.resolve(`${pkg}/package.json`)), file), join(out, name));
  }
}

export default defineConfig({
  entry: ['src/index.ts', 'src/main.ts'],
  format: ['esm'],
  dts: { entry: 'src/index.ts' },
  sourcemap: true,
  clean: true,
  target: 'node20',
  platform: 'node',
  ...oneByteSource,
  onSuccess: async () => copyDocsAssets(),
});
