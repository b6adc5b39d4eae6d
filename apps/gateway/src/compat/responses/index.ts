import { type ChatRequest, toGatewayError } from '@intellicore/llm-core';
import { publicMessage } from '../../errors.js';
import { readJsonBody } from '../../http/body.js';
import { sendJson } from '../../http/respond.js';
import { SSE_HEADERS } from '../../http/stream-pump.js';
import { chatFrames, noteChatAnswer, pumpFrames } from '../chat-frames.js';
import type { FrontCall, FrontDeps } from '../front.js';
import { unixSeconds } from '../openai/translate.js';
import { parseBody } from '../validate.js';
import {
  finalStatus,
  outputOf,
  type ResponseIds,
  responseIds,
  responseObject,
  responsesUsage,
} from './response.js';
import { type ResponsesBody, responsesBodySchema } from './schemas.js';
import { ResponseStreamEvents } from './stream-events.js';
import { toChatRequest } from './translate.js';

/** POST /v1/responses (stateless) — one Response object, or its event stream. Errors before
 * any output are OpenAI error objects with a real status (the /v1 front's error sender). */
export async function responses(call: FrontCall, deps: FrontDeps): Promise<void> {
  const body = parseBody(responsesBodySchema, await readJsonBody(call.req, deps.maxBodyBytes));
  const request = toChatRequest(body);
  call.record.model = body.model;
  if (deps.logPrompts) call.record.prompt = request.messages;
  const ids = responseIds(call.record.id);
  if (body.stream) return streamResponse(call, deps, body, request, ids);

  const startedAt = performance.now();
  const createdAt = unixSeconds();
  const result = await deps.service.chat(request, call.context('openai'));
  noteChatAnswer(call, deps, result, startedAt);
  const state = finalStatus(result.doneReason);
  sendJson(call.res, 200, {
    ...responseObject(
      body,
      ids,
      result.model,
      createdAt,
      state,
      outputOf(result, ids),
      responsesUsage(result.metrics),
    ),
    completed_at: unixSeconds(),
  });
}

async function streamResponse(
  call: FrontCall,
  deps: FrontDeps,
  body: ResponsesBody,
  request: ChatRequest,
  ids: ResponseIds,
): Promise<void> {
  const converter = new ResponseStreamEvents(body, ids, body.model);
  const events = deps.service.chatStream(request, call.context('openai'));
  const frames = chatFrames(call, deps, events, (event) => converter.next(event));
  await pumpFrames(call, deps, frames, {
    headers: SSE_HEADERS,
    errorFrame: (error) => {
      const e = toGatewayError(error);
      return converter.failure(e, publicMessage(e));
    },
  });
}
