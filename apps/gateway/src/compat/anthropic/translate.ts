import {
  badRequest,
  type ChatMessage,
  type ChatRequest,
  type ModelOptions,
  type Think,
  type ToolCall,
} from '@intellicore/llm-core';
import type { AnthropicMessage, ImageSource, MessagesBody, ToolResultBlock } from './schemas.js';

/**
 * Anthropic Messages body → core ChatRequest (Ollama semantics), mapped as Ollama's own
 * /v1/messages does: the system prompt first; a message's text blocks joined, its images
 * base64, its `tool_use` blocks as tool calls; `tool_result` blocks as `tool` messages (placed
 * before the user's text, which answers after them); `thinking` blocks as the assistant's
 * thinking; `max_tokens` → num_predict, `stop_sequences` → stop.
 */
export function toChatRequest(body: MessagesBody): ChatRequest {
  const messages: ChatMessage[] = [];
  const system =
    typeof body.system === 'string' ? body.system : (body.system ?? []).map((b) => b.text).join('');
  if (system) messages.push({ role: 'system', content: system });
  const toolNames = new Map<string, string>();
  body.messages.forEach((m, i) => {
    messages.push(...toMessages(m, `messages.${i}`, toolNames));
  });

  const request: ChatRequest = { model: body.model, messages };
  const options: ModelOptions = { num_predict: body.max_tokens };
  if (body.temperature != null) options.temperature = body.temperature;
  if (body.top_p != null) options.top_p = body.top_p;
  if (body.top_k != null) options.top_k = body.top_k;
  if (body.stop_sequences?.length) options.stop = body.stop_sequences;
  request.options = options;
  if (body.tools?.length && body.tool_choice?.type !== 'none') {
    request.tools = body.tools.map((tool) => {
      const fn: { name: string; description?: string; parameters?: Record<string, unknown> } = {
        name: tool.name,
        parameters: tool.input_schema,
      };
      if (tool.description !== undefined) fn.description = tool.description;
      return { type: 'function' as const, function: fn };
    });
  }
  const format = body.output_config?.format;
  if (format) request.format = format.schema;
  const think = thinkOf(body);
  if (think !== undefined) request.think = think;
  return request;
}

/** `thinking` decides; without it, `output_config.effort` (levels above high → high). */
function thinkOf(body: MessagesBody): Think | undefined {
  if (body.thinking?.type === 'enabled') return true;
  if (body.thinking?.type === 'disabled') return false;
  const effort = body.output_config?.effort;
  if (effort === 'low' || effort === 'medium' || effort === 'high') return effort;
  if (effort === 'xhigh' || effort === 'max') return 'high';
  return undefined;
}

function toMessages(m: AnthropicMessage, path: string, toolNames: Map<string, string>) {
  if (typeof m.content === 'string') return [{ role: m.role, content: m.content }];
  let content = '';
  let thinking = '';
  const images: string[] = [];
  const toolCalls: ToolCall[] = [];
  const toolResults: ChatMessage[] = [];
  m.content.forEach((block, b) => {
    const at = `${path}.content.${b}`;
    if (block.type === 'text') content += block.text;
    else if (block.type === 'image') images.push(imageData(block.source, `${at}.source`));
    else if (block.type === 'tool_use') {
      toolNames.set(block.id, block.name);
      toolCalls.push({
        function: { index: toolCalls.length, name: block.name, arguments: block.input },
      });
    } else if (block.type === 'tool_result') {
      toolResults.push(toolResultMessage(block, at, toolNames));
    } else if (block.type === 'thinking') thinking = block.thinking;
  });

  const out: ChatMessage[] = [];
  if (m.role === 'user') out.push(...toolResults);
  if (content || images.length > 0 || toolCalls.length > 0 || thinking) {
    const message: ChatMessage = { role: m.role, content };
    if (images.length > 0) message.images = images;
    if (toolCalls.length > 0) message.toolCalls = toolCalls;
    if (thinking) message.thinking = thinking;
    out.push(message);
  }
  if (m.role !== 'user') out.push(...toolResults);
  return out;
}

function toolResultMessage(
  block: ToolResultBlock,
  path: string,
  toolNames: Map<string, string>,
): ChatMessage {
  let content = '';
  const images: string[] = [];
  if (typeof block.content === 'string') content = block.content;
  else {
    block.content?.forEach((part, p) => {
      if (part.type === 'text') content += part.text;
      else images.push(imageData(part.source, `${path}.content.${p}.source`));
    });
  }
  const message: ChatMessage = { role: 'tool', content };
  if (images.length > 0) message.images = images;
  const name = toolNames.get(block.tool_use_id);
  if (name) message.toolName = name;
  return message;
}

function imageData(source: ImageSource, path: string): string {
  if (source.type === 'base64') return source.data.replace(/\s+/g, '');
  throw badRequest([{ path: `${path}.type`, message: 'only base64 image sources are supported' }]);
}
