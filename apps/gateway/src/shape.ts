import type {
  ChatResult,
  EmbedResult,
  GenerateResult,
  GenerationMetrics,
} from '@intellicore/llm-core';
import type { RequestRecord } from './observability/request-record.js';
import type {
  ChatCompletionOutput,
  EmbedOutput,
  GenerateOutput,
  Timings,
  Usage,
} from './schemas/index.js';

/** Core results → the tRPC outputs (usage + timings), and the request's log record. */

const NS_PER_MS = 1e6;
const ms = (ns: number | undefined) => (ns === undefined ? undefined : ns / NS_PER_MS);

export function usageOf(metrics: GenerationMetrics): Usage {
  const promptTokens = metrics.promptEvalCount ?? 0;
  const completionTokens = metrics.evalCount ?? 0;
  return { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens };
}

export function timingsOf(
  metrics: GenerationMetrics,
  startedAt: number,
  ttftMs: number | undefined,
): Timings {
  const timings: Timings = { durationMs: round(performance.now() - startedAt) };
  if (ttftMs !== undefined) timings.ttftMs = round(ttftMs);
  const total = ms(metrics.totalDuration);
  if (total !== undefined) timings.totalDurationMs = total;
  const load = ms(metrics.loadDuration);
  if (load !== undefined) timings.loadDurationMs = load;
  const promptEval = ms(metrics.promptEvalDuration);
  if (promptEval !== undefined) timings.promptEvalDurationMs = promptEval;
  const evalMs = ms(metrics.evalDuration);
  if (evalMs !== undefined) timings.evalDurationMs = evalMs;
  return timings;
}

const round = (n: number) => Math.round(n * 1000) / 1000;

export function noteResult(
  record: RequestRecord,
  result: { model: string; upstream?: string; cached?: boolean },
  usage: { promptTokens: number; completionTokens?: number },
  ttftMs?: number,
): void {
  record.model = result.model;
  if (result.upstream !== undefined) record.upstream = result.upstream;
  record.cached = result.cached === true;
  record.promptTokens = usage.promptTokens;
  if (usage.completionTokens !== undefined) record.completionTokens = usage.completionTokens;
  if (ttftMs !== undefined) record.ttftMs = ttftMs;
}

export function shapeChat(
  result: ChatResult,
  startedAt: number,
  record: RequestRecord,
  ttftMs = result.ttftMs,
): ChatCompletionOutput {
  const usage = usageOf(result.metrics);
  noteResult(record, result, usage, ttftMs);
  const message: ChatCompletionOutput['message'] = {
    role: 'assistant',
    content: result.message.content,
  };
  if (result.message.thinking) message.thinking = result.message.thinking;
  if (result.message.toolCalls?.length) message.toolCalls = result.message.toolCalls;
  const out: ChatCompletionOutput = {
    model: result.model,
    createdAt: result.createdAt,
    cached: result.cached === true,
    message,
    usage,
    timings: timingsOf(result.metrics, startedAt, ttftMs),
  };
  if (result.upstream !== undefined) out.upstream = result.upstream;
  if (result.doneReason !== undefined) out.doneReason = result.doneReason;
  return out;
}

export function shapeGenerate(
  result: GenerateResult,
  startedAt: number,
  record: RequestRecord,
  ttftMs = result.ttftMs,
): GenerateOutput {
  const usage = usageOf(result.metrics);
  noteResult(record, result, usage, ttftMs);
  const out: GenerateOutput = {
    model: result.model,
    createdAt: result.createdAt,
    cached: result.cached === true,
    response: result.response,
    usage,
    timings: timingsOf(result.metrics, startedAt, ttftMs),
  };
  if (result.thinking) out.thinking = result.thinking;
  if (result.upstream !== undefined) out.upstream = result.upstream;
  if (result.doneReason !== undefined) out.doneReason = result.doneReason;
  if (result.context !== undefined) out.context = result.context;
  return out;
}

export function shapeEmbedCommon(
  result: EmbedResult,
  startedAt: number,
  record: RequestRecord,
): Omit<EmbedOutput, 'embedding'> {
  const usage = { promptTokens: result.metrics.promptEvalCount ?? 0 };
  noteResult(record, result, usage);
  const out: Omit<EmbedOutput, 'embedding'> = {
    model: result.model,
    cached: result.cached === true,
    usage,
    timings: timingsOf(result.metrics, startedAt, undefined),
  };
  if (result.upstream !== undefined) out.upstream = result.upstream;
  return out;
}
