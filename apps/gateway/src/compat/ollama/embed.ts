import { type EmbedRequest, vectorJson, vectorsJson } from '@intellicore/llm-core';
import { readJsonBody } from '../../http/body.js';
import { sendJsonText } from '../../http/respond.js';
import { noteResult } from '../../shape.js';
import type { FrontCall, FrontDeps } from '../front.js';
import { parseBody } from '../validate.js';
import { embedBodySchema, legacyEmbeddingsBodySchema } from './schemas.js';

/** POST /api/embed */
export async function embed(call: FrontCall, deps: FrontDeps): Promise<void> {
  const body = parseBody(embedBodySchema, await readJsonBody(call.req, deps.maxBodyBytes));
  call.record.model = body.model;
  const request: EmbedRequest = { model: body.model, input: body.input };
  if (body.truncate !== undefined) request.truncate = body.truncate;
  if (body.dimensions !== undefined) request.dimensions = body.dimensions;
  if (body.keep_alive != null) request.keepAlive = body.keep_alive;
  if (body.options) request.options = body.options;
  const result = await deps.service.embed(request, call.context('ollama'));
  noteResult(call.record, result, { promptTokens: result.metrics.promptEvalCount ?? 0 });
  const m = result.metrics;
  // Written by hand around the vectors: their upstream text is reused, not re-serialised.
  let text = `{"model":${JSON.stringify(result.model)},"embeddings":${vectorsJson(result.embeddings)}`;
  if (m.totalDuration !== undefined) text += `,"total_duration":${m.totalDuration}`;
  if (m.loadDuration !== undefined) text += `,"load_duration":${m.loadDuration}`;
  if (m.promptEvalCount !== undefined) text += `,"prompt_eval_count":${m.promptEvalCount}`;
  sendJsonText(call.res, 200, `${text}}`);
}

/** POST /api/embeddings (legacy): one prompt → `{"embedding": […]}`. */
export async function legacyEmbeddings(call: FrontCall, deps: FrontDeps): Promise<void> {
  const body = parseBody(
    legacyEmbeddingsBodySchema,
    await readJsonBody(call.req, deps.maxBodyBytes),
  );
  call.record.model = body.model;
  const request: EmbedRequest = { model: body.model, input: body.prompt };
  if (body.options) request.options = body.options;
  const result = await deps.service.embed(request, call.context('ollama'));
  noteResult(call.record, result, { promptTokens: result.metrics.promptEvalCount ?? 0 });
  sendJsonText(call.res, 200, `{"embedding":${vectorJson(result.embeddings[0] ?? [])}}`);
}
