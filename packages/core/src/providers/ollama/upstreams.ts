import type { Provider } from '../provider.js';
import { createOllamaProvider, type OllamaProviderOptions } from './ollama-provider.js';

/** One provider per Ollama base URL (`OLLAMA_URL` is a comma-separated list). */
export function createOllamaUpstreams(
  urls: string[],
  options: Omit<OllamaProviderOptions, 'url'> = {},
): Provider[] {
  const unique = [...new Set(urls.map((u) => u.trim().replace(/\/+$/, '')).filter(Boolean))];
  return unique.map((url) => createOllamaProvider({ ...options, url }));
}
