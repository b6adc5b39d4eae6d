import { randomInt } from 'node:crypto';
/**
 * Ollama model options → node-llama-cpp sampling options. Defaults are Ollama's (temperature
 * 0.8, top_k 40, top_p 0.9, repeat_penalty 1.1 over the last 64 tokens) so a model answers
 * alike through either upstream. temperature 0 is greedy decoding, hence deterministic.
 */
import { badRequest, type FieldError } from '../../errors.js';
import type { ModelOptions } from '../../types.js';

export interface SamplingOptions {
  temperature: number;
  topK: number;
  topP: number;
  minP?: number;
  seed?: number;
  /** Tokens to generate at most; undefined = until the context is full. */
  maxTokens?: number;
  stop: string[];
  repeatPenalty:
    | false
    | {
        penalty: number;
        lastTokens: number;
        presencePenalty?: number;
        frequencyPenalty?: number;
      };
}

export interface MappedOptions {
  sampling: SamplingOptions;
}

export function mapModelOptions(options: ModelOptions | undefined): MappedOptions {
  const o = options ?? {};
  const errors: FieldError[] = [];
  const num = (key: string, check: (n: number) => boolean, rule: string): number | undefined => {
    const value = o[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value) || !check(value)) {
      errors.push({ path: `options.${key}`, message: `must be ${rule}` });
      return undefined;
    }
    return value;
  };
  const nonNegative = (n: number) => n >= 0;
  const integer = (n: number) => Number.isInteger(n);

  const temperature = num('temperature', nonNegative, 'a number ≥ 0');
  const topK = num('top_k', (n) => integer(n) && n >= 0, 'an integer ≥ 0');
  const topP = num('top_p', (n) => n >= 0 && n <= 1, 'a number in [0, 1]');
  const minP = num('min_p', (n) => n >= 0 && n <= 1, 'a number in [0, 1]');
  const seed = num('seed', integer, 'an integer');
  const numPredict = num('num_predict', (n) => integer(n) && n >= -2, 'an integer ≥ -1');
  const numCtx = num('num_ctx', (n) => integer(n) && n >= 16, 'an integer ≥ 16');
  const repeatPenalty = num('repeat_penalty', nonNegative, 'a number ≥ 0');
  const repeatLastN = num('repeat_last_n', (n) => integer(n) && n >= -1, 'an integer ≥ -1');
  const presencePenalty = num('presence_penalty', Number.isFinite, 'a number');
  const frequencyPenalty = num('frequency_penalty', Number.isFinite, 'a number');

  let stop: string[] = [];
  if (o.stop !== undefined && o.stop !== null) {
    const raw: unknown = o.stop;
    const list = typeof raw === 'string' ? [raw] : raw;
    if (!Array.isArray(list) || !list.every((s) => typeof s === 'string')) {
      errors.push({ path: 'options.stop', message: 'must be a list of strings' });
    } else {
      stop = list.filter((s) => s.length > 0);
    }
  }
  if (errors.length > 0) throw badRequest(errors);

  const penalty = repeatPenalty ?? 1.1;
  const lastTokens =
    repeatLastN === undefined ? 64 : repeatLastN === -1 ? (numCtx ?? 2048) : repeatLastN;
  const sampling: SamplingOptions = {
    temperature: temperature ?? 0.8,
    topK: topK ?? 40,
    topP: topP ?? 0.9,
    stop,
    repeatPenalty:
      (penalty === 1 || lastTokens === 0) && !presencePenalty && !frequencyPenalty
        ? false
        : {
            penalty,
            lastTokens,
            ...(presencePenalty ? { presencePenalty } : {}),
            ...(frequencyPenalty ? { frequencyPenalty } : {}),
          },
  };
  if (minP !== undefined) sampling.minP = minP;
  // Like Ollama: without a seed every request samples afresh (llama.cpp would reuse one seed).
  sampling.seed = seed ?? randomInt(0x7fffffff);
  // Ollama: -1 = no limit, -2 = fill the context; both mean "until the context is full" here.
  if (numPredict !== undefined && numPredict > 0) sampling.maxTokens = numPredict;
  // num_ctx is validated but does not size anything: every request runs in the model's one
  // context, sized when the model loads (see ModelRuntime.generationContext).
  return { sampling };
}
