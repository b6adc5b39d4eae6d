/**
 * Ollama's snake_case wire objects ⇄ the camelCase domain types. Requests keep every field the
 * caller set, known ones renamed, unknown ones passed through as given: nothing silently dropped.
 */
import type {
  AssistantMessage,
  ChatMessage,
  ChatRequest,
  ChatStreamEvent,
  EmbedRequest,
  EmbedResult,
  GenerateRequest,
  GenerateStreamEvent,
  GenerationMetrics,
  ModelDetails,
  ModelInfo,
  ModelShow,
  PullProgress,
  RunningModel,
  ToolCall,
} from '../../types.js';
import type { Resolved } from '../provider.js';

type Wire = Record<string, unknown>;

const RENAMES: Record<string, string> = {
  keepAlive: 'keep_alive',
  toolCalls: 'tool_calls',
  toolName: 'tool_name',
};

/** Copies defined fields, renaming the camelCase ones Ollama spells in snake_case. */
function toWire(source: object): Wire {
  const out: Wire = {};
  for (const [key, value] of Object.entries(source)) {
    if (value === undefined) continue;
    out[RENAMES[key] ?? key] = value;
  }
  return out;
}

export function chatToWire(request: Resolved<ChatRequest>): Wire {
  const wire = toWire(request);
  wire.messages = request.messages.map((m: ChatMessage) => toWire(m));
  return wire;
}

export function generateToWire(request: Resolved<GenerateRequest>): Wire {
  return toWire(request);
}

export function embedToWire(request: Resolved<EmbedRequest>): Wire {
  return toWire(request);
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

function metricsFromWire(w: Wire): GenerationMetrics {
  const metrics: GenerationMetrics = {};
  const put = (key: keyof GenerationMetrics, value: unknown) => {
    const n = num(value);
    if (n !== undefined) metrics[key] = n;
  };
  put('totalDuration', w.total_duration);
  put('loadDuration', w.load_duration);
  put('promptEvalCount', w.prompt_eval_count);
  put('promptEvalDuration', w.prompt_eval_duration);
  put('evalCount', w.eval_count);
  put('evalDuration', w.eval_duration);
  return metrics;
}

function messageFromWire(w: Wire | undefined): AssistantMessage {
  const message: AssistantMessage = { role: 'assistant', content: str(w?.content) ?? '' };
  const thinking = str(w?.thinking);
  if (thinking) message.thinking = thinking;
  const calls = w?.tool_calls;
  if (Array.isArray(calls) && calls.length > 0) message.toolCalls = calls as ToolCall[];
  return message;
}

export function chatEventFromWire(w: Wire): ChatStreamEvent {
  const common = {
    model: str(w.model) ?? '',
    createdAt: str(w.created_at) ?? new Date().toISOString(),
    message: messageFromWire(w.message as Wire | undefined),
  };
  if (w.done !== true) return { done: false, ...common };
  const doneReason = str(w.done_reason);
  return {
    done: true,
    ...common,
    ...(doneReason ? { doneReason } : {}),
    metrics: metricsFromWire(w),
  };
}

export function generateEventFromWire(w: Wire): GenerateStreamEvent {
  const thinking = str(w.thinking);
  const common = {
    model: str(w.model) ?? '',
    createdAt: str(w.created_at) ?? new Date().toISOString(),
    response: str(w.response) ?? '',
    ...(thinking ? { thinking } : {}),
  };
  if (w.done !== true) return { done: false, ...common };
  const doneReason = str(w.done_reason);
  return {
    done: true,
    ...common,
    ...(doneReason ? { doneReason } : {}),
    ...(Array.isArray(w.context) ? { context: w.context as number[] } : {}),
    metrics: metricsFromWire(w),
  };
}

export function embedResultFromWire(w: Wire): Omit<EmbedResult, 'upstream'> {
  const metrics: EmbedResult['metrics'] = {};
  const all = metricsFromWire(w);
  if (all.totalDuration !== undefined) metrics.totalDuration = all.totalDuration;
  if (all.loadDuration !== undefined) metrics.loadDuration = all.loadDuration;
  if (all.promptEvalCount !== undefined) metrics.promptEvalCount = all.promptEvalCount;
  return {
    model: str(w.model) ?? '',
    embeddings: Array.isArray(w.embeddings) ? (w.embeddings as number[][]) : [],
    metrics,
  };
}

export function detailsFromWire(w: Wire | undefined): ModelDetails {
  const d: ModelDetails = {};
  if (!w) return d;
  const put = (key: Exclude<keyof ModelDetails, 'families'>, value: unknown) => {
    const s = str(value);
    if (s) d[key] = s;
  };
  put('parentModel', w.parent_model);
  put('format', w.format);
  put('family', w.family);
  put('parameterSize', w.parameter_size);
  put('quantizationLevel', w.quantization_level);
  if (Array.isArray(w.families)) d.families = w.families as string[];
  return d;
}

export function modelFromWire(w: Wire): ModelInfo {
  const name = str(w.name) ?? str(w.model) ?? '';
  const info: ModelInfo = {
    name,
    model: str(w.model) ?? name,
    details: detailsFromWire(w.details as Wire),
  };
  const modifiedAt = str(w.modified_at);
  if (modifiedAt) info.modifiedAt = modifiedAt;
  const size = num(w.size);
  if (size !== undefined) info.size = size;
  const digest = str(w.digest);
  if (digest) info.digest = digest;
  return info;
}

export function runningFromWire(w: Wire): RunningModel {
  const model: RunningModel = modelFromWire(w);
  const expiresAt = str(w.expires_at);
  if (expiresAt) model.expiresAt = expiresAt;
  const sizeVram = num(w.size_vram);
  if (sizeVram !== undefined) model.sizeVram = sizeVram;
  const contextLength = num(w.context_length);
  if (contextLength !== undefined) model.contextLength = contextLength;
  return model;
}

export function showFromWire(w: Wire): ModelShow {
  const show: ModelShow = { details: detailsFromWire(w.details as Wire) };
  for (const key of ['license', 'modelfile', 'parameters', 'template'] as const) {
    const s = str(w[key]);
    if (s !== undefined) show[key] = s;
  }
  if (w.model_info && typeof w.model_info === 'object') {
    show.modelInfo = w.model_info as Record<string, unknown>;
  }
  if (Array.isArray(w.capabilities)) show.capabilities = w.capabilities as string[];
  const modifiedAt = str(w.modified_at);
  if (modifiedAt) show.modifiedAt = modifiedAt;
  return show;
}

export function pullProgressFromWire(w: Wire): PullProgress {
  const progress: PullProgress = { status: str(w.status) ?? '' };
  const digest = str(w.digest);
  if (digest) progress.digest = digest;
  const total = num(w.total);
  const completed = num(w.completed);
  if (total !== undefined) progress.total = total;
  if (completed !== undefined) progress.completed = completed;
  if (total !== undefined && total > 0) {
    progress.percent = Math.min(100, Math.round(((completed ?? 0) / total) * 1000) / 10);
  }
  return progress;
}
