import { type ChatRequest, estimateTokens } from '@intellicore/llm-core';
import { readJsonBody } from '../../http/body.js';
import { sendJson } from '../../http/respond.js';
import { SSE_HEADERS, type StreamWire } from '../../http/stream-pump.js';
import { chatFrames, noteChatAnswer, pumpFrames } from '../chat-frames.js';
import type { FrontCall, FrontDeps } from '../front.js';
import { sseEvent } from '../sse.js';
import { parseBody } from '../validate.js';
import { anthropicErrorFrame } from './errors.js';
import { type MessageIds, messageIds, toMessage } from './message.js';
import { chatRelaxed, chatStreamRelaxed } from './relax-thinking.js';
import { messagesBodySchema } from './schemas.js';
import { MessageStreamEvents } from './stream-events.js';
import { toChatRequest } from './translate.js';

/** Anthropic's stream framing; idle streams get Anthropic's own `ping` event. */
const ANTHROPIC_SSE_WIRE: StreamWire = {
  headers: SSE_HEADERS,
  errorFrame: anthropicErrorFrame,
  ping: sseEvent('ping', { type: 'ping' }),
};

/** POST /v1/messages — one Message, or its event stream (`stream: true`). */
export async function messages(call: FrontCall, deps: FrontDeps): Promise<void> {
  const body = parseBody(messagesBodySchema, await readJsonBody(call.req, deps.maxBodyBytes));
  const request = toChatRequest(body);
  call.record.model = body.model;
  if (deps.logPrompts) call.record.prompt = request.messages;
  const ids = messageIds(call.record.id);
  if (body.stream) return streamMessage(call, deps, request, ids);

  const startedAt = performance.now();
  const result = await chatRelaxed(deps.service, request, call.context('anthropic'));
  noteChatAnswer(call, deps, result, startedAt);
  sendJson(call.res, 200, toMessage(result, ids));
}

async function streamMessage(
  call: FrontCall,
  deps: FrontDeps,
  request: ChatRequest,
  ids: MessageIds,
): Promise<void> {
  const events = chatStreamRelaxed(deps.service, request, call.context('anthropic'));
  // The prompt's size without the answer's allowance: message_start's input_tokens estimate.
  const estimate = estimateTokens({ ...request, options: {} }, { completionAllowance: 0 });
  const converter = new MessageStreamEvents(ids, request.model ?? '', estimate);
  const frames = chatFrames(call, deps, events, (event) => converter.next(event));
  await pumpFrames(call, deps, frames, ANTHROPIC_SSE_WIRE);
}
