import { GatewayError } from '@intellicore/llm-core';
import { sendJson } from '../../http/respond.js';
import type { FrontCall, FrontDeps } from '../front.js';

function toOpenAiModel(m: { name: string; modifiedAt?: string; upstreams?: string[] }) {
  const created = m.modifiedAt ? Math.floor(Date.parse(m.modifiedAt) / 1000) : 0;
  return {
    id: m.name,
    object: 'model' as const,
    created: Number.isFinite(created) ? created : 0,
    owned_by: 'intellicore',
  };
}

/** GET /v1/models — the catalogue (allowed models on healthy upstreams). */
export async function listModels(call: FrontCall, deps: FrontDeps): Promise<void> {
  const models = await deps.service.listModels(call.context('openai'));
  sendJson(call.res, 200, { object: 'list', data: models.map(toOpenAiModel) });
}

/** GET /v1/models/{id} */
export async function getModel(call: FrontCall, deps: FrontDeps, id: string): Promise<void> {
  const models = await deps.service.listModels(call.context('openai'));
  const wanted = id.includes(':') ? id : `${id}:latest`;
  const model = models.find((m) => m.name === id || m.name === wanted);
  if (!model) throw new GatewayError('MODEL_NOT_FOUND', `model '${id}' not found`);
  sendJson(call.res, 200, toOpenAiModel(model));
}
