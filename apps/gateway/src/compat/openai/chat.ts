import type { ChatResult, ChatStreamEvent } from '@intellicore/llm-core';
import { toGatewayError } from '@intellicore/llm-core';
import { readJsonBody } from '../../http/body.js';
import { sendJson } from '../../http/respond.js';
import { pumpStream, SSE_HEADERS, type StreamWire } from '../../http/stream-pump.js';
import { noteResult, usageOf } from '../../shape.js';
import type { FrontCall, FrontDeps } from '../front.js';
import { parseBody } from '../validate.js';
import { openAiError } from './errors.js';
import { chatCompletionBodySchema } from './schemas.js';
import { finishReason, openAiToolCalls, toChatRequest, unixSeconds } from './translate.js';

function usageBody(result: ChatResult) {
  const u = usageOf(result.metrics);
  return {
    prompt_tokens: u.promptTokens,
    completion_tokens: u.completionTokens,
    total_tokens: u.totalTokens,
  };
}

/** POST /v1/chat/completions — one result, or SSE chunks ending in `data: [DONE]`. */
export async function chatCompletions(call: FrontCall, deps: FrontDeps): Promise<void> {
  const body = parseBody(chatCompletionBodySchema, await readJsonBody(call.req, deps.maxBodyBytes));
  const request = toChatRequest(body);
  call.record.model = body.model;
  if (deps.logPrompts) call.record.prompt = request.messages;
  const id = `chatcmpl-${call.record.id}`;
  if (body.stream) return streamChat(call, deps, request, id, body.stream_options?.include_usage);

  const startedAt = performance.now();
  const result = await deps.service.chat(request, call.context('openai'));
  noteResult(
    call.record,
    result,
    usageOf(result.metrics),
    result.ttftMs ?? performance.now() - startedAt,
  );
  if (deps.logPrompts) call.record.completion = result.message.content;
  const toolCalls = result.message.toolCalls ?? [];
  const message: Record<string, unknown> = {
    role: 'assistant',
    content: result.message.content,
  };
  if (toolCalls.length > 0) message.tool_calls = openAiToolCalls(toolCalls, call.record.id);
  // Ollama's field for the thinking text (not DeepSeek's `reasoning_content`).
  if (result.message.thinking) message.reasoning = result.message.thinking;
  sendJson(call.res, 200, {
    id,
    object: 'chat.completion',
    created: unixSeconds(),
    model: result.model,
    choices: [
      {
        index: 0,
        message,
        logprobs: null,
        finish_reason: finishReason(result.doneReason, toolCalls.length > 0),
      },
    ],
    usage: usageBody(result),
  });
}

/** OpenAI's streams: `data: <chunk>` events ending in `data: [DONE]`; a failure after the first
 * chunk is a last `data:` event with OpenAI's error object (the openai SDK throws it). */
export const OPENAI_SSE_WIRE: StreamWire = {
  headers: SSE_HEADERS,
  errorFrame: (error) => `data: ${JSON.stringify(openAiError(toGatewayError(error)))}\n\n`,
};

async function streamChat(
  call: FrontCall,
  deps: FrontDeps,
  request: ReturnType<typeof toChatRequest>,
  id: string,
  includeUsage: boolean | undefined,
): Promise<void> {
  call.record.stream = true;
  const events = deps.service.chatStream(request, call.context('openai'));
  await pumpStream(
    call.res,
    chunks(call, deps, events, request, id, includeUsage),
    OPENAI_SSE_WIRE,
    {
      streams: deps.streams,
      onFailure: (error) => {
        call.record.code = toGatewayError(error).code;
      },
    },
  );
}

/** Core's chat events as OpenAI chunks: the role first, tool calls numbered across chunks, the
 * finish reason on its own chunk, the usage chunk when asked for, then `[DONE]`. */
async function* chunks(
  call: FrontCall,
  deps: FrontDeps,
  events: AsyncIterable<ChatStreamEvent>,
  request: ReturnType<typeof toChatRequest>,
  id: string,
  includeUsage: boolean | undefined,
): AsyncGenerator<string> {
  const { record } = call;
  const startedAt = performance.now();
  const created = unixSeconds();
  let model = request.model ?? '';
  const chunk = (delta: Record<string, unknown>, finish: string | null) => {
    const data: Record<string, unknown> = {
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    };
    if (includeUsage) data.usage = null;
    return `data: ${JSON.stringify(data)}\n\n`;
  };
  let toolCallCount = 0;
  let text = '';
  let sentRole = false;
  for await (const event of events) {
    model = event.model || model;
    record.ttftMs ??= performance.now() - startedAt;
    const m = event.message;
    const delta: Record<string, unknown> = {};
    if (!sentRole) {
      delta.role = 'assistant';
      sentRole = true;
    }
    if (m.content || !event.done) delta.content = m.content;
    if (m.thinking) delta.reasoning = m.thinking;
    if (m.toolCalls?.length) {
      delta.tool_calls = openAiToolCalls(m.toolCalls, record.id, toolCallCount);
      toolCallCount += m.toolCalls.length;
    }
    if (deps.logPrompts) text += m.content;
    if (Object.keys(delta).length > 0) yield chunk(delta, null);
    if (!event.done) continue;
    noteResult(record, event, usageOf(event.metrics));
    if (deps.logPrompts) record.completion = text;
    let tail = chunk({}, finishReason(event.doneReason, toolCallCount > 0));
    if (includeUsage) {
      const usage = {
        id,
        object: 'chat.completion.chunk',
        created,
        model,
        choices: [],
        usage: usageBody(event),
      };
      tail += `data: ${JSON.stringify(usage)}\n\n`;
    }
    yield `${tail}data: [DONE]\n\n`;
    return;
  }
}
