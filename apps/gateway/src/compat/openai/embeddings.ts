import { vectorJson } from '@intellicore/llm-core';
import { readJsonBody } from '../../http/body.js';
import { sendJsonText } from '../../http/respond.js';
import { noteResult } from '../../shape.js';
import type { FrontCall, FrontDeps } from '../front.js';
import { parseBody } from '../validate.js';
import { embeddingsBodySchema } from './schemas.js';

/** Little-endian float32 bytes, base64 — what `encoding_format: "base64"` asks for (the openai
 * SDK asks for it by default and decodes it). */
function toBase64(vector: number[]): string {
  const floats = Float32Array.from(vector);
  return Buffer.from(floats.buffer, floats.byteOffset, floats.byteLength).toString('base64');
}

/** POST /v1/embeddings — string or array input, optional `dimensions`. */
export async function embeddings(call: FrontCall, deps: FrontDeps): Promise<void> {
  const body = parseBody(embeddingsBodySchema, await readJsonBody(call.req, deps.maxBodyBytes));
  call.record.model = body.model;
  const request: Parameters<typeof deps.service.embed>[0] = {
    model: body.model,
    input: body.input,
  };
  if (body.dimensions !== undefined) request.dimensions = body.dimensions;
  const result = await deps.service.embed(request, call.context('openai'));
  const promptTokens = result.metrics.promptEvalCount ?? 0;
  noteResult(call.record, result, { promptTokens });
  const base64 = body.encoding_format === 'base64';
  // Written by hand around the vectors: their upstream text is reused, not re-serialised.
  let data = '';
  result.embeddings.forEach((embedding, index) => {
    const value = base64 ? JSON.stringify(toBase64(embedding)) : vectorJson(embedding);
    data += `${index > 0 ? ',' : ''}{"object":"embedding","index":${index},"embedding":${value}}`;
  });
  const usage = JSON.stringify({ prompt_tokens: promptTokens, total_tokens: promptTokens });
  sendJsonText(
    call.res,
    200,
    `{"object":"list","data":[${data}],"model":${JSON.stringify(result.model)},"usage":${usage}}`,
  );
}
