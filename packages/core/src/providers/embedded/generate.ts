/**
 * Plain completion on the embedded engine: the prompt (after an optional system text) is
 * continued as is, without a chat template; `suffix` uses the model's infill tokens if it has them.
 */
import type { LlamaContextSequence, LlamaModel, Token } from 'node-llama-cpp';
import { badRequest } from '../../errors.js';
import type { GenerateRequest, GenerateStreamEvent } from '../../types.js';
import type { Resolved } from '../provider.js';
import { grammarFor } from './chat.js';
import type { NodeLlamaCpp } from './engine.js';
import type { EngineHooks, EngineStopReason, GenerationEvent } from './generation-run.js';
import type { SamplingOptions } from './options.js';

export function validateGenerateRequest(request: Resolved<GenerateRequest>): void {
  if (typeof request.prompt !== 'string') {
    throw badRequest([{ path: 'prompt', message: 'must be a string' }]);
  }
  if (request.images?.length) {
    throw badRequest([
      { path: 'images', message: 'images are not supported by the embedded engine' },
    ]);
  }
}

export async function runGenerate(
  module: NodeLlamaCpp,
  target: { sequence: LlamaContextSequence; model: LlamaModel },
  request: Resolved<GenerateRequest>,
  sampling: SamplingOptions,
  hooks: EngineHooks,
): Promise<EngineStopReason> {
  const completion = new module.LlamaCompletion({ contextSequence: target.sequence });
  try {
    const grammar = await grammarFor(target.model, request.format);
    const prompt =
      request.system && !request.raw ? `${request.system}\n\n${request.prompt}` : request.prompt;
    /** The tokens of the text chunk that follows (the engine hands over tokens, then their text). */
    let chunkTokens: Token[] = [];
    const options = {
      ...(grammar ? { grammar } : {}),
      signal: hooks.signal,
      stopOnAbortSignal: true,
      temperature: sampling.temperature,
      topK: sampling.topK,
      topP: sampling.topP,
      ...(sampling.minP === undefined ? {} : { minP: sampling.minP }),
      ...(sampling.seed === undefined ? {} : { seed: sampling.seed }),
      maxTokens: sampling.maxTokens ?? target.sequence.contextSize,
      repeatPenalty: sampling.repeatPenalty,
      ...(sampling.stop.length > 0 ? { customStopTriggers: sampling.stop } : {}),
      onToken: (tokens: Token[]) => {
        chunkTokens = tokens;
        hooks.onTokens();
      },
      onTextChunk: (text: string) => {
        const taken = hooks.take(chunkTokens, text);
        chunkTokens = [];
        if (taken) hooks.emit({ content: taken });
      },
    };
    if (request.suffix) {
      if (!completion.infillSupported) {
        throw badRequest([
          { path: 'suffix', message: 'this model has no infill (fill-in-the-middle) tokens' },
        ]);
      }
      const result = await completion.generateInfillCompletionWithMeta(
        prompt,
        request.suffix,
        options,
      );
      return result.metadata.stopReason;
    }
    const result = await completion.generateCompletionWithMeta(prompt, options);
    return result.metadata.stopReason;
  } finally {
    completion.dispose();
  }
}

export function toGenerateEvent(model: string, event: GenerationEvent): GenerateStreamEvent {
  const createdAt = new Date().toISOString();
  if (!event.done) return { done: false, model, createdAt, response: event.piece.content };
  return {
    done: true,
    model,
    createdAt,
    response: '',
    doneReason: event.doneReason,
    metrics: event.metrics,
  };
}
