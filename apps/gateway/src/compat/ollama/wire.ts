import type {
  AssistantMessage,
  ChatRequest,
  GenerateRequest,
  GenerationMetrics,
  ModelDetails,
  ModelInfo,
  ToolCall,
} from '@intellicore/llm-core';
import type { ChatBody, GenerateBody } from './schemas.js';

/** Ollama wire (snake_case) ↔ core types. Field order follows Ollama's own output. */

export function toChatRequest(body: ChatBody): ChatRequest {
  const request: ChatRequest = {
    model: body.model,
    messages: body.messages.map((m) => {
      const out: ChatRequest['messages'][number] = { role: m.role, content: m.content };
      if (m.images?.length) out.images = m.images;
      if (m.tool_calls?.length) out.toolCalls = m.tool_calls;
      if (m.tool_name !== undefined) out.toolName = m.tool_name;
      if (m.thinking !== undefined) out.thinking = m.thinking;
      return out;
    }),
  };
  if (body.tools?.length) request.tools = body.tools;
  copyCommon(body, request);
  return request;
}

export function toGenerateRequest(body: GenerateBody): GenerateRequest {
  const request: GenerateRequest = { model: body.model, prompt: body.prompt };
  if (body.suffix !== undefined) request.suffix = body.suffix;
  if (body.system !== undefined) request.system = body.system;
  if (body.template !== undefined) request.template = body.template;
  if (body.raw !== undefined) request.raw = body.raw;
  if (body.images?.length) request.images = body.images;
  if (body.context?.length) request.context = body.context;
  copyCommon(body, request);
  return request;
}

function copyCommon(
  body: Pick<ChatBody, 'format' | 'options' | 'keep_alive' | 'think'>,
  request: ChatRequest | GenerateRequest,
): void {
  if (body.format) request.format = body.format;
  if (body.options) request.options = body.options;
  if (body.keep_alive != null) request.keepAlive = body.keep_alive;
  if (body.think != null) request.think = body.think;
}

/** Adds Ollama's metrics (only known ones) to a final object. */
export function withMetrics(target: Record<string, unknown>, m: GenerationMetrics): void {
  if (m.totalDuration !== undefined) target.total_duration = m.totalDuration;
  if (m.loadDuration !== undefined) target.load_duration = m.loadDuration;
  if (m.promptEvalCount !== undefined) target.prompt_eval_count = m.promptEvalCount;
  if (m.promptEvalDuration !== undefined) target.prompt_eval_duration = m.promptEvalDuration;
  if (m.evalCount !== undefined) target.eval_count = m.evalCount;
  if (m.evalDuration !== undefined) target.eval_duration = m.evalDuration;
}

export function wireMessage(m: AssistantMessage): Record<string, unknown> {
  const out: Record<string, unknown> = { role: 'assistant', content: m.content };
  if (m.thinking) out.thinking = m.thinking;
  if (m.toolCalls?.length) out.tool_calls = m.toolCalls.map(wireToolCall);
  return out;
}

function wireToolCall(call: ToolCall) {
  const fn: Record<string, unknown> = {};
  if (call.function.index !== undefined) fn.index = call.function.index;
  fn.name = call.function.name;
  fn.arguments = call.function.arguments;
  return { function: fn };
}

export function wireDetails(d: ModelDetails) {
  return {
    parent_model: d.parentModel ?? '',
    format: d.format ?? '',
    family: d.family ?? '',
    families: d.families ?? null,
    parameter_size: d.parameterSize ?? '',
    quantization_level: d.quantizationLevel ?? '',
  };
}

export function wireModel(m: ModelInfo) {
  return {
    name: m.name,
    model: m.model,
    modified_at: m.modifiedAt ?? new Date(0).toISOString(),
    size: m.size ?? 0,
    digest: m.digest ?? '',
    details: wireDetails(m.details),
  };
}
