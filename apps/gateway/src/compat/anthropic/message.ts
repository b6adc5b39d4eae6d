import { createHash } from 'node:crypto';
import type { ChatResult, GenerationMetrics } from '@intellicore/llm-core';

/** Ids of one answer, derived from the request id (stable in logs, unique per request). */
export interface MessageIds {
  message: string;
  toolUse(n: number): string;
}

export function messageIds(requestId: string): MessageIds {
  return {
    message: `msg_${requestId}`,
    toolUse: (n) => `toolu_${requestId}_${n}`,
  };
}

/**
 * A thinking block's `signature`. Anthropic's is a verifiable seal of its own models' thinking;
 * a local model has none, so this is a digest of the text (clients keep it and send it back
 * with the block; the gateway does not check it).
 */
export function thinkingSignature(thinking: string): string {
  return createHash('sha256').update(thinking).digest('base64');
}

/** Ollama's done_reason (and whether tools were called) as Anthropic's stop_reason. */
export function stopReason(doneReason: string | undefined, calledTools: boolean): string {
  if (calledTools) return 'tool_use';
  if (doneReason === 'length') return 'max_tokens';
  return 'end_turn';
}

export function usageOfMetrics(metrics: GenerationMetrics) {
  return { input_tokens: metrics.promptEvalCount ?? 0, output_tokens: metrics.evalCount ?? 0 };
}

/** A whole chat result as an Anthropic Message: thinking, text, then tool_use blocks. */
export function toMessage(result: ChatResult, ids: MessageIds) {
  const content: Record<string, unknown>[] = [];
  const { thinking, content: text, toolCalls = [] } = result.message;
  if (thinking) {
    content.push({ type: 'thinking', thinking, signature: thinkingSignature(thinking) });
  }
  if (text) content.push({ type: 'text', text });
  toolCalls.forEach((call, n) => {
    content.push({
      type: 'tool_use',
      id: ids.toolUse(n),
      name: call.function.name,
      input: call.function.arguments,
    });
  });
  return {
    id: ids.message,
    type: 'message',
    role: 'assistant',
    model: result.model,
    content,
    stop_reason: stopReason(result.doneReason, toolCalls.length > 0),
    stop_sequence: null,
    usage: usageOfMetrics(result.metrics),
  };
}
