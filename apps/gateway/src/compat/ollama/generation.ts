import type { ChatStreamEvent, GenerateStreamEvent } from '@intellicore/llm-core';
import { readJsonBody } from '../../http/body.js';
import { sendJson } from '../../http/respond.js';
import { noteResult, usageOf } from '../../shape.js';
import type { FrontCall, FrontDeps } from '../front.js';
import { parseBody } from '../validate.js';
import { streamNdjson } from './ndjson.js';
import { chatBodySchema, generateBodySchema } from './schemas.js';
import { toChatRequest, toGenerateRequest, wireMessage, withMetrics } from './wire.js';

/** POST /api/chat — NDJSON stream by default (`stream` defaults to true, as in Ollama). */
export async function chat(call: FrontCall, deps: FrontDeps): Promise<void> {
  const body = parseBody(chatBodySchema, await readJsonBody(call.req, deps.maxBodyBytes));
  const request = toChatRequest(body);
  call.record.model = body.model;
  if (deps.logPrompts) call.record.prompt = request.messages;
  const startedAt = performance.now();
  if (body.stream === false) {
    const result = await deps.service.chat(request, call.context('ollama'));
    noteResult(call.record, result, usageOf(result.metrics), result.ttftMs);
    if (deps.logPrompts) call.record.completion = result.message.content;
    sendJson(call.res, 200, chatLine(result));
    return;
  }
  await streamNdjson(call, deps, deps.service.chatStream(request, call.context('ollama')), (e) => {
    if (call.record.ttftMs === undefined) call.record.ttftMs = performance.now() - startedAt;
    if (e.done) noteResult(call.record, e, usageOf(e.metrics));
    return chatLine(e);
  });
}

function chatLine(e: ChatStreamEvent): Record<string, unknown> {
  const line: Record<string, unknown> = {
    model: e.model,
    created_at: e.createdAt,
    message: wireMessage(e.message),
    done: e.done,
  };
  if (e.done) {
    line.done_reason = e.doneReason ?? 'stop';
    withMetrics(line, e.metrics);
  }
  return line;
}

/** POST /api/generate */
export async function generate(call: FrontCall, deps: FrontDeps): Promise<void> {
  const body = parseBody(generateBodySchema, await readJsonBody(call.req, deps.maxBodyBytes));
  const request = toGenerateRequest(body);
  call.record.model = body.model;
  if (deps.logPrompts) call.record.prompt = request.prompt;
  const startedAt = performance.now();
  if (body.stream === false) {
    const result = await deps.service.generate(request, call.context('ollama'));
    noteResult(call.record, result, usageOf(result.metrics), result.ttftMs);
    if (deps.logPrompts) call.record.completion = result.response;
    sendJson(call.res, 200, generateLine(result));
    return;
  }
  await streamNdjson(
    call,
    deps,
    deps.service.generateStream(request, call.context('ollama')),
    (e) => {
      if (call.record.ttftMs === undefined) call.record.ttftMs = performance.now() - startedAt;
      if (e.done) noteResult(call.record, e, usageOf(e.metrics));
      return generateLine(e);
    },
  );
}

function generateLine(e: GenerateStreamEvent): Record<string, unknown> {
  const line: Record<string, unknown> = {
    model: e.model,
    created_at: e.createdAt,
    response: e.response,
  };
  if (e.thinking) line.thinking = e.thinking;
  line.done = e.done;
  if (e.done) {
    line.done_reason = e.doneReason ?? 'stop';
    if (e.context) line.context = e.context;
    withMetrics(line, e.metrics);
  }
  return line;
}
