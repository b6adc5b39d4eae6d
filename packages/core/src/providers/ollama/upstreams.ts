import type { Provider } from '../provider.js';
import { createOllamaProvider, type OllamaProviderOptions } from './ollama-provider.js';

/** One Ollama upstream: its base URL and, optionally, the name to show for it. */
export interface OllamaUpstreamSpec {
  url: string;
  name?: string;
}

/**
 * One provider per Ollama base URL (`OLLAMA_URL` is a comma-separated list). Each is shown by
 * its configured name, else `ollama-<n>` (its 1-based position in the list), never by its URL.
 * A URL listed twice is served once (under its first name); names must be unique.
 */
export function createOllamaUpstreams(
  specs: ReadonlyArray<string | OllamaUpstreamSpec>,
  options: Omit<OllamaProviderOptions, 'url' | 'name'> = {},
): Provider[] {
  const seen = new Set<string>();
  const names = new Set<string>(['embedded']);
  const providers: Provider[] = [];
  specs.forEach((spec, index) => {
    const { url: raw, name } = typeof spec === 'string' ? { url: spec, name: undefined } : spec;
    const url = raw.trim().replace(/\/+$/, '');
    if (!url || seen.has(url)) return;
    seen.add(url);
    const shown = name ?? `ollama-${index + 1}`;
    if (names.has(shown)) throw new Error(`Two upstreams are named '${shown}'`);
    names.add(shown);
    providers.push(createOllamaProvider({ ...options, url, name: shown }));
  });
  return providers;
}
