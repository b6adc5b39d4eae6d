/**
 * Embeddings on the embedded engine: one vector per input, L2-normalised like Ollama's
 * /api/embed, optionally cut to `dimensions`. Inputs longer than the context are truncated
 * (Ollama's default) or refused when `truncate: false`.
 */
import type { LlamaEmbeddingContext, LlamaModel, Token } from 'node-llama-cpp';
import { badRequest } from '../../errors.js';
import type { EmbedRequest } from '../../types.js';
import type { Resolved } from '../provider.js';
import { cancelled } from './slot-pool.js';

export function embedInputs(request: Resolved<EmbedRequest>): string[] {
  const inputs = typeof request.input === 'string' ? [request.input] : request.input;
  if (!Array.isArray(inputs) || inputs.some((i) => typeof i !== 'string')) {
    throw badRequest([{ path: 'input', message: 'must be a string or a list of strings' }]);
  }
  if (
    request.dimensions !== undefined &&
    (!Number.isInteger(request.dimensions) || request.dimensions < 1)
  ) {
    throw badRequest([{ path: 'dimensions', message: 'must be a positive integer' }]);
  }
  return inputs;
}

function normalise(vector: readonly number[], dimensions: number | undefined): number[] {
  const cut = dimensions === undefined ? [...vector] : vector.slice(0, dimensions);
  const norm = Math.sqrt(cut.reduce((sum, v) => sum + v * v, 0));
  return norm > 0 ? cut.map((v) => v / norm) : cut;
}

export async function computeEmbeddings(
  target: { embedding: LlamaEmbeddingContext; model: LlamaModel; contextSize: number },
  inputs: readonly string[],
  request: Resolved<EmbedRequest>,
  signal: AbortSignal | undefined,
): Promise<{ embeddings: number[][]; promptEvalCount: number }> {
  const embeddings: number[][] = [];
  let promptEvalCount = 0;
  for (const [index, text] of inputs.entries()) {
    if (signal?.aborted) throw cancelled();
    let input: string | Token[] = text;
    const length = target.embedding.calculateInputLength(text);
    if (length >= target.contextSize) {
      if (request.truncate === false) {
        throw badRequest([
          {
            path: typeof request.input === 'string' ? 'input' : `input.${index}`,
            message: `is ${length} tokens, longer than the context (${target.contextSize})`,
          },
        ]);
      }
      const tokens = target.model.tokenize(text);
      const overhead = length - tokens.length;
      input = tokens.slice(0, Math.max(1, target.contextSize - overhead - 1));
    }
    const { vector } = await target.embedding.getEmbeddingFor(input);
    promptEvalCount +=
      typeof input === 'string' ? length : target.embedding.calculateInputLength(input);
    embeddings.push(normalise(vector, request.dimensions));
  }
  return { embeddings, promptEvalCount };
}
