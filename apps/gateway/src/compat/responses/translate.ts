import {
  badRequest,
  type ChatMessage,
  type ChatRequest,
  type ModelOptions,
  type ToolCall,
} from '@intellicore/llm-core';
import { thinkFromEffort } from '../openai/reasoning.js';
import type { InputContent, InputItem, ResponsesBody } from './schemas.js';

/**
 * Responses body → core ChatRequest, as Ollama's /v1/responses maps it: `instructions` is the
 * system message; input items become messages in order, a `function_call` joining the assistant
 * message before it (or starting one), a `function_call_output` becoming a `tool` message named
 * after its call, a `reasoning` item becoming the next assistant message's thinking.
 */
export function toChatRequest(body: ResponsesBody): ChatRequest {
  const messages: ChatMessage[] = [];
  if (body.instructions) messages.push({ role: 'system', content: body.instructions });
  if (typeof body.input === 'string') messages.push({ role: 'user', content: body.input });
  else addItems(messages, body.input);

  const request: ChatRequest = { model: body.model, messages };
  const options: ModelOptions = {};
  if (body.temperature != null) options.temperature = body.temperature;
  if (body.top_p != null) options.top_p = body.top_p;
  if (body.max_output_tokens != null) options.num_predict = body.max_output_tokens;
  if (Object.keys(options).length > 0) request.options = options;
  if (body.tools?.length && body.tool_choice !== 'none') {
    request.tools = body.tools.map((tool) => {
      const fn: { name: string; description?: string; parameters?: Record<string, unknown> } = {
        name: tool.name,
      };
      if (tool.description != null) fn.description = tool.description;
      if (tool.parameters != null) fn.parameters = tool.parameters;
      return { type: 'function' as const, function: fn };
    });
  }
  const format = body.text?.format;
  if (format?.type === 'json_object') request.format = 'json';
  else if (format?.type === 'json_schema') request.format = format.schema;
  const think = thinkFromEffort(body.reasoning?.effort);
  if (think !== undefined) request.think = think;
  return request;
}

function addItems(messages: ChatMessage[], items: InputItem[]): void {
  const toolNames = new Map<string, string>();
  let pendingThinking = '';
  items.forEach((item, i) => {
    const path = `input.${i}`;
    if (item.type === 'reasoning') {
      pendingThinking = item.encrypted_content || item.summary.map((s) => s.text).join('');
    } else if (item.type === 'function_call') {
      toolNames.set(item.call_id, item.name);
      const call: ToolCall = {
        function: { name: item.name, arguments: parseArguments(item.arguments, path) },
      };
      const last = messages.at(-1);
      const target: ChatMessage =
        last?.role === 'assistant' ? last : { role: 'assistant', content: '' };
      if (target !== last) messages.push(target);
      call.function.index = target.toolCalls?.length ?? 0;
      target.toolCalls = [...(target.toolCalls ?? []), call];
      if (pendingThinking) target.thinking = pendingThinking;
      pendingThinking = '';
    } else if (item.type === 'function_call_output') {
      const message: ChatMessage = { role: 'tool', content: '' };
      addContent(message, item.output, `${path}.output`);
      const name = toolNames.get(item.call_id);
      if (name) message.toolName = name;
      messages.push(message);
    } else {
      const role = item.role === 'developer' ? 'system' : item.role;
      const message: ChatMessage = { role, content: '' };
      addContent(message, item.content, `${path}.content`);
      if (role === 'assistant' && pendingThinking) {
        message.thinking = pendingThinking;
        pendingThinking = '';
      }
      messages.push(message);
    }
  });
  if (pendingThinking) messages.push({ role: 'assistant', content: '', thinking: pendingThinking });
}

function addContent(message: ChatMessage, content: string | InputContent[], path: string): void {
  if (typeof content === 'string') {
    message.content += content;
    return;
  }
  content.forEach((part, p) => {
    if (part.type !== 'input_image') {
      message.content += part.text;
      return;
    }
    const match = /^data:[^;,]*;base64,(.*)$/s.exec(part.image_url ?? '');
    if (!match) {
      throw badRequest([
        { path: `${path}.${p}.image_url`, message: 'only base64 data: URLs are supported' },
      ]);
    }
    message.images = [...(message.images ?? []), match[1]!];
  });
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
  throw badRequest([{ path: `${path}.arguments`, message: 'must be a JSON object string' }]);
}
