import type { ChatResult, GenerationMetrics } from '@intellicore/llm-core';
import { toolCallId } from '../openai/translate.js';
import type { ResponsesBody } from './schemas.js';

/** Ids of one response, derived from the request id (unique per request). */
export interface ResponseIds {
  response: string;
  /** Output item id: `msg_…`, `rs_…`, `fc_…` plus the item's output index. */
  item(prefix: 'msg' | 'rs' | 'fc', outputIndex: number): string;
  /** Tool call id, the same form as /v1/chat/completions' (`call_<requestId>_<n>`). */
  call(n: number): string;
}

export function responseIds(requestId: string): ResponseIds {
  return {
    response: `resp_${requestId}`,
    item: (prefix, outputIndex) => `${prefix}_${requestId}_${outputIndex}`,
    call: (n) => toolCallId(requestId, n),
  };
}

export type OutputItem = Record<string, unknown>;

export function reasoningItem(id: string, thinking: string): OutputItem {
  // encrypted_content carries the plain text, as Ollama does: sent back, it restores thinking.
  return {
    id,
    type: 'reasoning',
    summary: [{ type: 'summary_text', text: thinking }],
    encrypted_content: thinking,
  };
}

export const outputText = (text: string) => ({
  type: 'output_text',
  text,
  annotations: [],
  logprobs: [],
});

export function messageItem(id: string, text: string, status = 'completed'): OutputItem {
  return { id, type: 'message', status, role: 'assistant', content: [outputText(text)] };
}

export function functionCallItem(
  id: string,
  callId: string,
  name: string,
  args: string,
  status = 'completed',
): OutputItem {
  return { id, type: 'function_call', status, call_id: callId, name, arguments: args };
}

export function responsesUsage(metrics: GenerationMetrics) {
  const input = metrics.promptEvalCount ?? 0;
  const output = metrics.evalCount ?? 0;
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: input + output,
  };
}

/** A length-limited answer is `incomplete`, as OpenAI reports `max_output_tokens`. */
export function finalStatus(doneReason: string | undefined) {
  return doneReason === 'length'
    ? { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } }
    : { status: 'completed', incomplete_details: null };
}

/** The Response object, echoing the request's settings the way OpenAI (and Ollama) do. */
export function responseObject(
  body: ResponsesBody,
  ids: ResponseIds,
  model: string,
  createdAt: number,
  state: { status: string; incomplete_details?: unknown; error?: unknown },
  output: OutputItem[],
  usage: ReturnType<typeof responsesUsage> | null,
) {
  return {
    id: ids.response,
    object: 'response',
    created_at: createdAt,
    status: state.status,
    error: state.error ?? null,
    incomplete_details: state.incomplete_details ?? null,
    instructions: body.instructions ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    model,
    output,
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: body.reasoning?.effort ?? null, summary: body.reasoning?.summary ?? null },
    store: false,
    background: false,
    temperature: body.temperature ?? 1,
    text: { format: body.text?.format ?? { type: 'text' } },
    tool_choice: body.tool_choice ?? 'auto',
    tools: (body.tools ?? []).map((t) => ({
      type: 'function',
      name: t.name,
      description: t.description ?? null,
      parameters: t.parameters ?? null,
      strict: t.strict ?? null,
    })),
    top_p: body.top_p ?? 1,
    truncation: 'disabled',
    usage,
    metadata: body.metadata ?? {},
  };
}

/** A whole chat result as output items: reasoning, the message, then function calls. */
export function outputOf(result: ChatResult, ids: ResponseIds): OutputItem[] {
  const output: OutputItem[] = [];
  const { thinking, content, toolCalls = [] } = result.message;
  if (thinking) output.push(reasoningItem(ids.item('rs', output.length), thinking));
  if (content || toolCalls.length === 0) {
    output.push(messageItem(ids.item('msg', output.length), content));
  }
  toolCalls.forEach((call, n) => {
    output.push(
      functionCallItem(
        ids.item('fc', output.length),
        ids.call(n),
        call.function.name,
        JSON.stringify(call.function.arguments),
      ),
    );
  });
  return output;
}
