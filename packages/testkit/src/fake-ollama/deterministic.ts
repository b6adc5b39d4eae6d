/**
 * Deterministic "model" outputs, exported so that tests can predict exactly what the fake says.
 * Nothing here is random: the same input always gives the same reply, chunks and vectors.
 */

export interface FakeMessage {
  role: string;
  content: string;
}

/** The text of the last user message ('' when there is none). */
export function lastUserContent(messages: readonly FakeMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m && m.role === 'user') return m.content;
  }
  return '';
}

/** The chat reply: `echo(<model>): <last user content>`. */
export function fakeChatReply(messages: readonly FakeMessage[], model: string): string {
  return `echo(${model}): ${lastUserContent(messages)}`;
}

/** The generate reply: `echo(<model>): <prompt>`. */
export function fakeGenerateReply(prompt: string, model: string): string {
  return `echo(${model}): ${prompt}`;
}

/** What `think: true` adds as `thinking` before the reply. */
export function fakeThinking(input: string): string {
  return `The user wrote ${JSON.stringify(input)}; I will echo it.`;
}

const WORDISH = /\s+|\S+\s*/gu;

/**
 * How a reply is split into stream chunks: each word with the whitespace after it (leading
 * whitespace is its own piece). `fakeReplyChunks(t).join('') === t`. Splitting works on code
 * points, so a multi-byte character is never cut.
 */
export function fakeReplyChunks(text: string): string[] {
  return text.match(WORDISH) ?? [];
}

/** A token count derived from length, as a tokenizer would roughly give (~4 chars a token). */
export function fakeTokenCount(text: string): number {
  return text.length === 0 ? 0 : Math.ceil(text.length / 4);
}

/** 32-bit FNV-1a over UTF-16 code units. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A unit vector (L2 norm 1) of `dims` numbers, seeded by a hash of the text. */
export function fakeEmbedding(text: string, dims: number): number[] {
  let state = fnv1a(text) || 1;
  const out = new Array<number>(dims);
  let sum = 0;
  for (let i = 0; i < dims; i++) {
    // mulberry32 step: cheap, well-spread, deterministic.
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const v = ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
    out[i] = v;
    sum += v * v;
  }
  return normalise(out, sum);
}

/** Scales a vector to unit length (`sumOfSquares` may be passed when already known). */
export function normalise(v: number[], sumOfSquares?: number): number[] {
  let sum = sumOfSquares ?? 0;
  if (sumOfSquares === undefined) for (const x of v) sum += x * x;
  const norm = Math.sqrt(sum);
  if (norm === 0) return v;
  return v.map((x) => x / norm);
}

/** A sha256-looking digest for a name (64 hex chars), stable across runs. */
export function fakeDigest(name: string): string {
  let hex = '';
  for (let i = 0; hex.length < 64; i++) hex += fnv1a(`${i}:${name}`).toString(16).padStart(8, '0');
  return hex.slice(0, 64);
}

/** A tool as requests declare it (only the parts the fake reads). */
export interface FakeTool {
  type?: string;
  function?: { name?: string; parameters?: { properties?: Record<string, unknown> } };
}

export interface FakeToolCall {
  name: string;
  arguments: Record<string, string>;
}

/** The word that makes chat with `tools` answer with a tool call instead of text. */
export const TOOL_TRIGGER = /\bweather\b/i;

/**
 * The tool call the fake makes when the request has tools and the last user message mentions
 * "weather": the first tool whose name contains "weather" (else the first tool), its first
 * parameter set to the words after "in" (else "Tokyo"). "weather in Tokyo?" → {city: "Tokyo"}.
 */
export function fakeToolCall(
  tools: readonly FakeTool[],
  userText: string,
): FakeToolCall | undefined {
  if (tools.length === 0 || !TOOL_TRIGGER.test(userText)) return undefined;
  const tool = tools.find((t) => /weather/i.test(t.function?.name ?? '')) ?? tools[0];
  const name = tool?.function?.name ?? 'get_weather';
  const param = Object.keys(tool?.function?.parameters?.properties ?? {})[0] ?? 'city';
  const place = /\bin\s+([\p{L}][\p{L}\s'-]*?)\s*(?:[?.!,]|$)/u.exec(userText)?.[1] ?? 'Tokyo';
  return { name, arguments: { [param]: place } };
}

/** What `format` (json or a JSON schema) turns a reply into: valid JSON text. */
export function fakeJsonReply(text: string, format: unknown): string {
  const props = (format as { properties?: Record<string, { type?: unknown }> } | null)?.properties;
  if (typeof format !== 'object' || format === null || !props)
    return JSON.stringify({ reply: text });
  const out: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(props)) {
    const type = Array.isArray(schema?.type) ? schema.type[0] : schema?.type;
    if (type === 'number' || type === 'integer') out[key] = text.length;
    else if (type === 'boolean') out[key] = true;
    else if (type === 'array') out[key] = [];
    else if (type === 'object') out[key] = {};
    else if (type === 'null') out[key] = null;
    else out[key] = text;
  }
  return JSON.stringify(out);
}
