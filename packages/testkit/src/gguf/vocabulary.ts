/**
 * A small SentencePiece-style ("llama") vocabulary: `<unk>`, `<s>`, `</s>`, the 256 byte
 * tokens and a few dozen normal pieces. Byte fallback means any string tokenizes, so the
 * model can be prompted with arbitrary text even though it knows almost no words.
 */

/** llama.cpp token types (tokenizer.ggml.token_type). */
export const TOKEN_TYPE = { normal: 1, unknown: 2, control: 3, byte: 6 } as const;

export const UNKNOWN_TOKEN_ID = 0;
export const BOS_TOKEN_ID = 1;
export const EOS_TOKEN_ID = 2;

/** SentencePiece's word-boundary marker (U+2581). */
const SPACE = '\u2581';

export interface Vocabulary {
  tokens: string[];
  scores: number[];
  tokenTypes: number[];
}

function normalPieces(): string[] {
  const letters = 'abcdefghijklmnopqrstuvwxyz'.split('');
  const digits = '0123456789'.split('');
  const punctuation = ['.', ',', '!', '?', ':', "'"];
  const words = ['the', 'and', 'is', 'to', 'of', 'hello', 'world', 'model', 'demo', 'random'];
  return [
    SPACE,
    ...letters,
    ...digits,
    ...punctuation,
    ...letters.map((l) => SPACE + l),
    ...words.map((w) => SPACE + w),
  ];
}

export function buildVocabulary(): Vocabulary {
  const tokens = ['<unk>', '<s>', '</s>'];
  const tokenTypes: number[] = [TOKEN_TYPE.unknown, TOKEN_TYPE.control, TOKEN_TYPE.control];
  const scores = [0, 0, 0];
  for (let byte = 0; byte < 256; byte++) {
    tokens.push(`<0x${byte.toString(16).toUpperCase().padStart(2, '0')}>`);
    tokenTypes.push(TOKEN_TYPE.byte);
    scores.push(0);
  }
  // SPM merges the highest-scoring adjacent pair first, and only into pieces that exist:
  // longer pieces score higher. (Whole words are reachable as output tokens only, since their
  // intermediate pieces are not in the vocabulary; they just make sampled text look wordier.)
  for (const piece of normalPieces()) {
    tokens.push(piece);
    tokenTypes.push(TOKEN_TYPE.normal);
    scores.push(-100 + [...piece].length * 10 - tokens.length / 1000);
  }
  return { tokens, scores, tokenTypes };
}
