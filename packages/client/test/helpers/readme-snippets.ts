import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { clientRoot } from './built-client.js';

/** The repository's README, which shows the same snippets to users. */
export const ROOT_README = join(clientRoot, '..', '..', 'README.md');

/**
 * The code block right after `<!-- snippet: <name> … -->` in packages/client/README.md (or in
 * another README, e.g. ROOT_README).
 */
export function readmeSnippet(
  name: 'node' | 'browser',
  file: string = join(clientRoot, 'README.md'),
): string {
  const readme = readFileSync(file, 'utf8');
  const marker = readme.indexOf(`<!-- snippet: ${name}`);
  if (marker < 0) throw new Error(`README.md has no "${name}" snippet marker`);
  const block = /```[a-z]*\n([\s\S]*?)```/.exec(readme.slice(marker));
  if (!block?.[1]) throw new Error(`README.md has no code block after the "${name}" marker`);
  return block[1];
}

/** The URL and key the README shows, which tests replace with a live gateway's. */
export const README_GATEWAY_URL = 'http://localhost:8001';
export const README_API_KEY = 'sk-your-key';
