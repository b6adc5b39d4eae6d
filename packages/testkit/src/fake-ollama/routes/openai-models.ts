import { fakeTokenCount } from '../deterministic.js';
import type { ResolvedModel } from '../models.js';
import { loadModel, type Route, reply, requireModel } from './common.js';
import { embedInputs, embedOne } from './embed.js';

function openAiModel(m: ResolvedModel) {
  return {
    id: m.name,
    object: 'model',
    created: Math.floor(Date.parse(m.modifiedAt) / 1000),
    owned_by: 'library',
  };
}

/** GET /v1/models */
export const openAiModelsRoute: Route = {
  flavor: 'openai',
  body: false,
  handle: (ex, _body, state) =>
    reply(ex, { object: 'list', data: state.registry.list().map(openAiModel) }),
};

/** GET /v1/models/{model} */
export function openAiModelRoute(name: string): Route {
  return {
    flavor: 'openai',
    body: false,
    handle(ex, _body, state) {
      const m = state.registry.get(name);
      if (!m) return ex.error(404, `model '${name}' not found`);
      return reply(ex, openAiModel(m));
    },
  };
}

/** POST /v1/embeddings (`encoding_format: "base64"` gives little-endian float32 in base64). */
export const openAiEmbeddingsRoute: Route = {
  flavor: 'openai',
  body: true,
  inference: true,
  async handle(ex, body, state) {
    const found = requireModel(ex, body, state);
    if (!found) return;
    const { name, model } = found;
    const inputs = embedInputs(body.input);
    if (typeof inputs === 'string' || inputs.length === 0) return ex.error(400, 'invalid input');
    if (!(await loadModel(ex, state, model, undefined))) return;
    const dims = typeof body.dimensions === 'number' ? body.dimensions : undefined;
    const base64 = body.encoding_format === 'base64';
    const data = inputs.map((text, index) => {
      const v = embedOne(text, model, model.contextLength, dims);
      const embedding = base64 ? Buffer.from(new Float32Array(v).buffer).toString('base64') : v;
      return { object: 'embedding', embedding, index };
    });
    const tokens = inputs.reduce((a, t) => a + fakeTokenCount(t), 0);
    await reply(ex, {
      object: 'list',
      data,
      model: name,
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    });
  },
};
