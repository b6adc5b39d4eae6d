import type { ChatResult, ChatStreamEvent } from '@intellicore/llm-core';
import { toGatewayError } from '@intellicore/llm-core';
import { readJsonBody } from '../../http/body.js';
import { sendJson } from '../../http/respond.js';
import { SSE_HEADERS, type StreamWire } from '../../http/stream-pump.js';
import { usageOf } from '../../shape.js';
import { chatFrames, noteChatAnswer, pumpFrames } from '../chat-frames.js';
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
  noteChatAnswer(call, deps, result, startedAt);
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
  const events = deps.service.chatStream(request, call.context('openai'));
  const chunks = new ChatCompletionChunks(id, request.model ?? '', call.record.id, includeUsage);
  await pumpFrames(call, deps, chatFrames(call, deps, events, chunks.next), OPENAI_SSE_WIRE);
}

/** Core's chat events as OpenAI chunks: the role first, tool calls numbered across chunks, the
 * finish reason on its own chunk, the usage chunk when asked for, then `[DONE]`. */
class ChatCompletionChunks {
  private readonly created = unixSeconds();
  private toolCallCount = 0;
  private sentRole = false;

  constructor(
    private readonly id: string,
    private model: string,
    private readonly recordId: string,
    private readonly includeUsage: boolean | undefined,
  ) {}

  private chunk(delta: Record<string, unknown>, finish: string | null): string {
    const data: Record<string, unknown> = {
      id: this.id,
      object: 'chat.completion.chunk',
      created: this.created,
      model: this.model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    };
    if (this.includeUsage) data.usage = null;
    return `data: ${JSON.stringify(data)}\n\n`;
  }

  readonly next = (event: ChatStreamEvent): string | undefined => {
    this.model = event.model || this.model;
    const m = event.message;
    const delta: Record<string, unknown> = {};
    if (!this.sentRole) {
      delta.role = 'assistant';
      this.sentRole = true;
    }
    if (m.content || !event.done) delta.content = m.content;
    if (m.thinking) delta.reasoning = m.thinking;
    if (m.toolCalls?.length) {
      delta.tool_calls = openAiToolCalls(m.toolCalls, this.recordId, this.toolCallCount);
      this.toolCallCount += m.toolCalls.length;
    }
    let out = Object.keys(delta).length > 0 ? this.chunk(delta, null) : '';
    if (!event.done) return out || undefined;
    out += this.chunk({}, finishReason(event.doneReason, this.toolCallCount > 0));
    if (this.includeUsage) {
      const usage = {
        id: this.id,
        object: 'chat.completion.chunk',
        created: this.created,
        model: this.model,
        choices: [],
        usage: usageBody(event),
      };
      out += `data: ${JSON.stringify(usage)}\n\n`;
    }
    return `${out}data: [DONE]\n\n`;
  };
}
