import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DOCS_ASSET_FILES } from './docs-asset-files.js';

export interface DocsAsset {
  body: Buffer;
  type: string;
}

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.png': 'image/png',
};

/**
 * Where an asset's file is: `dist/docs-assets/` in a build (what the image ships), else the npm
 * package itself (running from source in development and tests).
 */
function assetFile(name: string): string | undefined {
  const source = DOCS_ASSET_FILES[name];
  if (!source) return undefined;
  const built = fileURLToPath(new URL(`./docs-assets/${name}`, import.meta.url));
  if (existsSync(built)) return built;
  const [pkg, file] = source;
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve(`${pkg}/package.json`)), file);
}

const cache = new Map<string, Promise<DocsAsset>>();

/** A docs asset by its served name (read once, kept: a few MiB), or undefined if unknown. */
export function docsAsset(name: string): Promise<DocsAsset> | undefined {
  if (!Object.hasOwn(DOCS_ASSET_FILES, name)) return undefined;
  let asset = cache.get(name);
  if (!asset) {
    const file = assetFile(name) as string;
    const type = TYPES[name.slice(name.lastIndexOf('.'))] ?? 'application/octet-stream';
    asset = readFile(file).then((body) => ({ body, type }));
    asset.catch(() => cache.delete(name)); // a failed read is retried next time
    cache.set(name, asset);
  }
  return asset;
}
