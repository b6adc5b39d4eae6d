import { createRequire } from 'node:module';
import { join } from 'node:path';
import { distDir } from './built-client.js';

interface EsbuildLike {
  build(options: Record<string, unknown>): Promise<{ outputFiles?: { text: string }[] }>;
}

/** esbuild comes with tsup (a root devDependency); resolve it from there instead of adding a dep. */
function loadEsbuild(): EsbuildLike {
  const fromRoot = createRequire(join(distDir, '..', '..', '..', 'package.json'));
  const fromTsup = createRequire(fromRoot.resolve('tsup'));
  return fromTsup('esbuild') as EsbuildLike;
}

/**
 * The built ESM client bundled into one browser file (with @trpc/client), as a web app's
 * bundler would produce it.
 */
export async function bundleClientForBrowser(options: { minify?: boolean } = {}): Promise<string> {
  const result = await loadEsbuild().build({
    entryPoints: [join(distDir, 'index.js')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: options.minify ?? false,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const text = result.outputFiles?.[0]?.text;
  if (!text) throw new Error('esbuild produced no output');
  return text;
}
