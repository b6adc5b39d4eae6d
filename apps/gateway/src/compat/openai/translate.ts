import {
  badRequest,
  type ChatMessage,
  type ChatRequest,
  type ModelOptions,
  type ToolCall,
} from '@intellicore/llm-core';
import { thinkFromEffort } from './reasoning.js';
import type { ChatCompletionBody, OpenAiMessage } from './schemas.js';

/** OpenAI chat body → core ChatRequest (Ollama semantics). */
export function toChatRequest(body: ChatCompletionBody): ChatRequest {
  const toolNames = new Map<string, string>();
  const messages = body.messages.map((m, i) => toMessage(m, i, toolNames));
  const request: ChatRequest = { model: body.model, messages };
  const options: ModelOptions = {};
  if (body.temperature != null) options.temperature = body.temperature;
  if (body.top_p != null) options.top_p = body.top_p;
  if (body.seed != null) options.seed = body.seed;
  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  if (maxTokens != null) options.num_predict = maxTokens;
  if (body.stop != null) options.stop = typeof body.stop === 'string' ? [body.stop] : body.stop;
  if (body.presence_penalty != null) options.presence_penalty = body.presence_penalty;
  if (body.frequency_penalty != null) options.frequency_penalty = body.frequency_penalty;
  if (Object.keys(options).length > 0) request.options = options;
  if (body.tools?.length) {
    request.tools = body.tools.map((tool) => {
      const fn: { name: string; description?: string; parameters?: Record<string, unknown> } = {
        name: tool.function.name,
      };
      if (tool.function.description !== undefined) fn.description = tool.function.description;
      if (tool.function.parameters !== undefined) fn.parameters = tool.function.parameters;
      return { type: 'function' as const, function: fn };
    });
  }
  const format = body.response_format;
  if (format?.type === 'json_object') request.format = 'json';
  else if (format?.type === 'json_schema') request.format = format.json_schema.schema ?? 'json';
  const think = thinkFromEffort(body.reasoning?.effort ?? body.reasoning_effort);
  if (think !== undefined) request.think = think;
  return request;
}

function toMessage(m: OpenAiMessage, index: number, toolNames: Map<string, string>): ChatMessage {
  const role = m.role === 'developer' ? 'system' : m.role;
  let content = '';
  const images: string[] = [];
  if (typeof m.content === 'string') content = m.content;
  else if (Array.isArray(m.content)) {
    m.content.forEach((part, p) => {
      if (part.type === 'text') content += part.text;
      else if (typeof part.image_url === 'string')
        images.push(imageData(part.image_url, `messages.${index}.content.${p}.image_url`));
      else
        images.push(imageData(part.image_url.url, `messages.${index}.content.${p}.image_url.url`));
    });
  }
  const message: ChatMessage = { role, content };
  if (images.length > 0) message.images = images;
  if (m.reasoning) message.thinking = m.reasoning;
  if (m.tool_calls?.length) {
    message.toolCalls = m.tool_calls.map((call, c): ToolCall => {
      toolNames.set(call.id, call.function.name);
      return {
        function: {
          index: c,
          name: call.function.name,
          arguments: parseArguments(call.function.arguments, `messages.${index}.tool_calls.${c}`),
        },
      };
    });
  }
  if (role === 'tool') {
    const name = (m.tool_call_id && toolNames.get(m.tool_call_id)) || m.name;
    if (name) message.toolName = name;
  }
  return message;
}

function imageData(url: string, path: string): string {
  const match = /^data:[^;,]+;base64,(.*)$/s.exec(url);
  if (!match) throw badRequest([{ path, message: 'only base64 data: URLs are supported' }]);
  return match[1]!;
}

function parseArguments(text: string, path: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text || '{}');
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
  } catch {
    // fall through
  }
  throw badRequest([
    { path: `${path}.function.arguments`, message: 'must be a JSON object string' },
  ]);
}

/** Stable per-response tool call ids (`call_<requestId>_<n>`). */
export function toolCallId(requestId: string, n: number): string {
  return `call_${requestId}_${n}`;
}

export function openAiToolCalls(calls: ToolCall[], requestId: string, offset = 0) {
  return calls.map((call, i) => ({
    index: offset + i,
    id: toolCallId(requestId, offset + i),
    type: 'function' as const,
    function: { name: call.function.name, arguments: JSON.stringify(call.function.arguments) },
  }));
}

export function finishReason(doneReason: string | undefined, hadToolCalls: boolean): string {
  if (hadToolCalls) return 'tool_calls';
  if (doneReason === 'length') return 'length';
  return 'stop';
}

export const unixSeconds = () => Math.floor(Date.now() / 1000);
