/**
 * Model names of the embedded engine: a file `models/<stem>.gguf` is the model `<stem>:latest`
 * (or `<stem>` as is when the stem already carries a `:tag`). As in Ollama, `name` and
 * `name:latest` are the same model, and names compare case-insensitively.
 */
import { canonicalModelName } from '../../policy/model-names.js';

export { canonicalModelName };

export const GGUF_EXTENSION = '.gguf';

export function modelNameKey(name: string): string {
  return canonicalModelName(name).toLowerCase();
}

/** `foo.gguf` → `foo:latest`; undefined for files that are not models. */
export function modelNameFromFile(fileName: string): string | undefined {
  if (fileName.startsWith('.') || !fileName.toLowerCase().endsWith(GGUF_EXTENSION))
    return undefined;
  const stem = fileName.slice(0, -GGUF_EXTENSION.length);
  return stem ? canonicalModelName(stem) : undefined;
}
