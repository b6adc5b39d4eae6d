import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { encodeGguf, type GgufTensor, type GgufValue } from './gguf-writer.js';
import { createPrng, randomFloats } from './prng.js';
import { BOS_TOKEN_ID, buildVocabulary, EOS_TOKEN_ID, UNKNOWN_TOKEN_ID } from './vocabulary.js';

export interface TinyGgufOptions {
  /** PRNG seed for the weights; same seed and options → byte-identical file. Default 42. */
  seed?: number;
  embeddingLength?: number;
  blockCount?: number;
  headCount?: number;
  feedForwardLength?: number;
  contextLength?: number;
  /** `general.name`; default "random-weights-demo". */
  name?: string;
  /** Jinja chat template stored as `tokenizer.chat_template`; `false` omits the key. */
  chatTemplate?: string | false;
}

/** A plain role-prefixed Jinja template (no special tokens beyond `<s>`/`</s>`). */
export const DEFAULT_CHAT_TEMPLATE =
  "{{ bos_token }}{% for message in messages %}{{ message['role'] }}: {{ message['content'] }}" +
  "{% if message['role'] == 'assistant' %}{{ eos_token }}{% endif %}\n{% endfor %}" +
  '{% if add_generation_prompt %}assistant: {% endif %}';

const ALIGNMENT = 32;
const GENERAL_FILE_TYPE_ALL_F32 = 0;

const u32 = (value: number): GgufValue => ({ type: 'uint32', value });
const str = (value: string): GgufValue => ({ type: 'string', value });

function resolveOptions(opts: TinyGgufOptions) {
  const o = {
    seed: opts.seed ?? 42,
    embd: opts.embeddingLength ?? 64,
    blocks: opts.blockCount ?? 2,
    heads: opts.headCount ?? 4,
    ff: opts.feedForwardLength ?? 128,
    ctx: opts.contextLength ?? 512,
    name: opts.name ?? 'random-weights-demo',
    chatTemplate: opts.chatTemplate ?? DEFAULT_CHAT_TEMPLATE,
  };
  for (const [key, value] of Object.entries(o)) {
    if (typeof value === 'number' && (!Number.isInteger(value) || value < 0)) {
      throw new RangeError(`TinyGgufOptions: ${key} must be a non-negative integer`);
    }
  }
  if (o.embd === 0 || o.heads === 0 || o.embd % o.heads !== 0) {
    throw new RangeError(
      'TinyGgufOptions: embeddingLength must be a positive multiple of headCount',
    );
  }
  return o;
}

/**
 * Builds a complete llama-architecture GGUF v3 file in memory: F32 tensors with seeded random
 * weights and a byte-fallback tokenizer. It loads and generates in llama.cpp, but its output
 * is noise: it exists so tests and demos run a real engine without downloading a model.
 */
export function buildTinyGguf(opts: TinyGgufOptions = {}): Uint8Array {
  const o = resolveOptions(opts);
  const vocab = buildVocabulary();
  const nVocab = vocab.tokens.length;

  const metadata: Array<readonly [string, GgufValue]> = [
    ['general.architecture', str('llama')],
    ['general.name', str(o.name)],
    ['general.alignment', u32(ALIGNMENT)],
    ['general.file_type', u32(GENERAL_FILE_TYPE_ALL_F32)],
    ['llama.context_length', u32(o.ctx)],
    ['llama.embedding_length', u32(o.embd)],
    ['llama.block_count', u32(o.blocks)],
    ['llama.feed_forward_length', u32(o.ff)],
    ['llama.attention.head_count', u32(o.heads)],
    ['llama.attention.head_count_kv', u32(o.heads)],
    ['llama.rope.dimension_count', u32(o.embd / o.heads)],
    ['llama.attention.layer_norm_rms_epsilon', { type: 'float32', value: 1e-5 }],
    ['llama.vocab_size', u32(nVocab)],
    ['tokenizer.ggml.model', str('llama')],
    ['tokenizer.ggml.tokens', { type: 'array', itemType: 'string', value: vocab.tokens }],
    ['tokenizer.ggml.scores', { type: 'array', itemType: 'float32', value: vocab.scores }],
    ['tokenizer.ggml.token_type', { type: 'array', itemType: 'int32', value: vocab.tokenTypes }],
    ['tokenizer.ggml.bos_token_id', u32(BOS_TOKEN_ID)],
    ['tokenizer.ggml.eos_token_id', u32(EOS_TOKEN_ID)],
    ['tokenizer.ggml.unknown_token_id', u32(UNKNOWN_TOKEN_ID)],
    ['tokenizer.ggml.add_bos_token', { type: 'bool', value: true }],
    ['tokenizer.ggml.add_eos_token', { type: 'bool', value: false }],
  ];
  if (o.chatTemplate !== false) metadata.push(['tokenizer.chat_template', str(o.chatTemplate)]);

  const next = createPrng(o.seed);
  const ones = (n: number) => new Float32Array(n).fill(1);
  // Scale ~1/sqrt(fan-in) keeps activations and logits in a range where sampling varies.
  const matrix = (name: string, inner: number, outer: number): GgufTensor => ({
    name,
    dims: [inner, outer],
    data: randomFloats(next, inner * outer, 1 / Math.sqrt(inner)),
  });
  const tensors: GgufTensor[] = [
    {
      name: 'token_embd.weight',
      dims: [o.embd, nVocab],
      data: randomFloats(next, o.embd * nVocab, 1),
    },
  ];
  for (let b = 0; b < o.blocks; b++) {
    const blk = `blk.${b}`;
    tensors.push(
      { name: `${blk}.attn_norm.weight`, dims: [o.embd], data: ones(o.embd) },
      matrix(`${blk}.attn_q.weight`, o.embd, o.embd),
      matrix(`${blk}.attn_k.weight`, o.embd, o.embd),
      matrix(`${blk}.attn_v.weight`, o.embd, o.embd),
      matrix(`${blk}.attn_output.weight`, o.embd, o.embd),
      { name: `${blk}.ffn_norm.weight`, dims: [o.embd], data: ones(o.embd) },
      matrix(`${blk}.ffn_gate.weight`, o.embd, o.ff),
      matrix(`${blk}.ffn_up.weight`, o.embd, o.ff),
      matrix(`${blk}.ffn_down.weight`, o.ff, o.embd),
    );
  }
  tensors.push(
    { name: 'output_norm.weight', dims: [o.embd], data: ones(o.embd) },
    matrix('output.weight', o.embd, nVocab),
  );

  return encodeGguf({ metadata, tensors, alignment: ALIGNMENT });
}

/** Writes the file atomically (temp file + rename), creating the directory if needed. */
export async function writeTinyGguf(path: string, opts?: TinyGgufOptions): Promise<void> {
  const bytes = buildTinyGguf(opts);
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temp, bytes);
  await rename(temp, path);
}
