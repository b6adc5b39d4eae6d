import type { ChatRequest, EmbedRequest, GenerateRequest } from '../types.js';

export interface EstimateOptions {
  /** Completion tokens assumed when `options.num_predict` does not bound the answer. */
  completionAllowance?: number;
}

/** Roughly what an image costs in a vision model's context (llava-style projectors: 576). */
const TOKENS_PER_IMAGE = 576;
/** Role markers and separators a chat template adds around each message. */
const TOKENS_PER_MESSAGE = 4;
const DEFAULT_COMPLETION_ALLOWANCE = 256;

const textTokens = (text: string | undefined) => (text ? Math.ceil(text.length / 4) : 0);
const jsonTokens = (value: unknown) =>
  value === undefined ? 0 : textTokens(JSON.stringify(value));

/**
 * Upper-bound guess of prompt + completion tokens, used to refuse a request that would blow
 * the caller's token budget before it runs; the real counts settle the lease afterwards.
 * ~4 characters per token, plus `num_predict` (or an allowance) for the answer.
 */
export function estimateTokens(
  request: ChatRequest | GenerateRequest | EmbedRequest,
  options: EstimateOptions = {},
): number {
  if ('input' in request) {
    const inputs = typeof request.input === 'string' ? [request.input] : request.input;
    return inputs.reduce((sum, text) => sum + Math.max(1, textTokens(text)), 0);
  }
  let prompt = jsonTokens(request.format);
  let images = 0;
  if ('messages' in request) {
    for (const m of request.messages) {
      prompt += TOKENS_PER_MESSAGE + textTokens(m.content) + jsonTokens(m.toolCalls);
      images += m.images?.length ?? 0;
    }
    prompt += jsonTokens(request.tools);
  } else {
    prompt += textTokens(request.prompt) + textTokens(request.system) + textTokens(request.suffix);
    prompt += request.context?.length ?? 0;
    images += request.images?.length ?? 0;
  }
  const numPredict = request.options?.num_predict;
  const completion =
    typeof numPredict === 'number' && numPredict > 0
      ? numPredict
      : (options.completionAllowance ?? DEFAULT_COMPLETION_ALLOWANCE);
  return prompt + images * TOKENS_PER_IMAGE + completion;
}
