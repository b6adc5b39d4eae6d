import { fakeEmbedding, fakeTokenCount, normalise } from '../deterministic.js';
import type { ResolvedModel } from '../models.js';
import { loadModel, type Route, reply, requireModel } from './common.js';

/**
 * The vector for one input: `truncate` cuts the text to the context window (4 chars a token)
 * before hashing; `dimensions` keeps the first N values and renormalises, as Ollama does.
 */
export function embedOne(
  text: string,
  model: ResolvedModel,
  contextLength: number,
  dimensions?: number,
): number[] {
  const clipped = text.length > contextLength * 4 ? text.slice(0, contextLength * 4) : text;
  const v = fakeEmbedding(clipped, model.embeddingDims);
  return dimensions !== undefined && dimensions > 0 && dimensions < v.length
    ? normalise(v.slice(0, dimensions))
    : v;
}

/** `input` as a list, or an error message. */
export function embedInputs(input: unknown): string[] | string {
  if (input === undefined || input === null) return [];
  if (typeof input === 'string') return input === '' ? [] : [input];
  if (Array.isArray(input) && input.every((s) => typeof s === 'string')) return input;
  return 'invalid input type';
}

export function contextLength(options: unknown, model: ResolvedModel): number {
  const n = (options as { num_ctx?: unknown } | undefined)?.num_ctx;
  return typeof n === 'number' && n > 0 ? n : model.contextLength;
}

/** POST /api/embed */
export const embedRoute: Route = {
  flavor: 'ollama',
  body: true,
  inference: true,
  async handle(ex, body, state) {
    const found = requireModel(ex, body, state);
    if (!found) return;
    const { name, model } = found;
    const inputs = embedInputs(body.input);
    if (typeof inputs === 'string') return ex.error(400, inputs);
    const ctx = contextLength(body.options, model);
    const tokens = inputs.map(fakeTokenCount);
    if (body.truncate === false && tokens.some((t) => t > ctx)) {
      return ex.error(400, 'the input length exceeds the context length');
    }
    if (!(await loadModel(ex, state, model, body.keep_alive))) return;
    const dims = typeof body.dimensions === 'number' ? body.dimensions : undefined;
    const embeddings = inputs.map((t) => embedOne(t, model, ctx, dims));
    const promptTokens = tokens.reduce((a, t) => a + Math.min(t, ctx), 0);
    const load = ex.loadNs + 250_000;
    await reply(ex, {
      model: name,
      embeddings,
      total_duration: Number(process.hrtime.bigint() - ex.startNs) + load + promptTokens * 20_000,
      load_duration: load,
      prompt_eval_count: promptTokens,
    });
  },
};

/** POST /api/embeddings (legacy: one `prompt`, one `embedding`). */
export const embeddingsRoute: Route = {
  flavor: 'ollama',
  body: true,
  inference: true,
  async handle(ex, body, state) {
    const found = requireModel(ex, body, state);
    if (!found) return;
    const { model } = found;
    if (!(await loadModel(ex, state, model, body.keep_alive))) return;
    const prompt = typeof body.prompt === 'string' ? body.prompt : '';
    const embedding =
      prompt === '' ? [] : embedOne(prompt, model, contextLength(body.options, model));
    await reply(ex, { embedding });
  },
};
