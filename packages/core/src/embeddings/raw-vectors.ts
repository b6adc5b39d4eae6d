/**
 * The upstream's own JSON text of each embedding vector, kept next to the parsed vector so the
 * HTTP doors can write it back instead of running JSON.stringify over tens of thousands of
 * floats again (measured: re-serialising was ~25 % of a 32-input /api/embed request's CPU).
 * Keyed weakly by the vector array itself: a vector that was copied or built elsewhere simply
 * has no raw text and is stringified as usual.
 */
const rawText = new WeakMap<readonly number[], string>();

/** A vector as JSON text: the upstream's own text when known. */
export function vectorJson(vector: readonly number[]): string {
  return rawText.get(vector) ?? JSON.stringify(vector);
}

/** A list of vectors as a JSON array. */
export function vectorsJson(vectors: readonly (readonly number[])[]): string {
  let out = '[';
  for (let i = 0; i < vectors.length; i++) {
    if (i > 0) out += ',';
    out += vectorJson(vectors[i] as readonly number[]);
  }
  return `${out}]`;
}

const KEY = '"embeddings":[';
const OPEN = 91; // [
const CLOSE = 93; // ]
const COMMA = 44; // ,

/**
 * Parses an `/api/embed` answer and remembers each vector's text. Only the compact layout Ollama
 * writes is recognised (`"embeddings":[[…],[…]]`, one level of nesting); anything else is just
 * parsed. The key cannot match inside a string value: a quote there is always escaped.
 */
export function parseEmbedResponse(text: string): unknown {
  const parsed = JSON.parse(text) as { embeddings?: unknown } | null;
  const vectors = parsed?.embeddings;
  if (!Array.isArray(vectors) || vectors.length === 0) return parsed;
  const at = text.indexOf(KEY);
  if (at < 0) return parsed;
  const pieces: string[] = [];
  let pos = at + KEY.length;
  for (;;) {
    if (text.charCodeAt(pos) !== OPEN) return parsed;
    const end = text.indexOf(']', pos);
    if (end < 0) return parsed;
    pieces.push(text.slice(pos, end + 1));
    const next = text.charCodeAt(end + 1);
    pos = end + 2;
    if (next === CLOSE) break;
    if (next !== COMMA) return parsed;
  }
  if (pieces.length !== vectors.length) return parsed;
  for (let i = 0; i < pieces.length; i++) {
    const vector = vectors[i];
    if (Array.isArray(vector)) rawText.set(vector, pieces[i] as string);
  }
  return parsed;
}
