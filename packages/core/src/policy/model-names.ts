/**
 * Ollama model names: `[host[:port]/][namespace/]name[:tag]`; a name without a tag means
 * `:latest`. The tag is the part after the last `:` that follows the last `/`.
 */
export function hasTag(name: string): boolean {
  return name.lastIndexOf(':') > name.lastIndexOf('/');
}

/** The canonical spelling used for comparisons: trimmed, tag made explicit. */
export function canonicalModelName(name: string): string {
  const trimmed = name.trim();
  return hasTag(trimmed) ? trimmed : `${trimmed}:latest`;
}

export function sameModel(a: string, b: string): boolean {
  return canonicalModelName(a) === canonicalModelName(b);
}
