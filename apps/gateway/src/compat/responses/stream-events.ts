import type { ChatStreamEvent, GatewayError } from '@intellicore/llm-core';
import { unixSeconds } from '../openai/translate.js';
import { sseEvent } from '../sse.js';
import {
  finalStatus,
  functionCallItem,
  messageItem,
  type OutputItem,
  outputText,
  type ResponseIds,
  reasoningItem,
  responseObject,
  responsesUsage,
} from './response.js';
import type { ResponsesBody } from './schemas.js';

interface OpenItem {
  kind: 'reasoning' | 'message';
  index: number;
  id: string;
  text: string;
}

/**
 * Core chat events → the Responses API's stream, in Ollama's sequence: `response.created`,
 * `response.in_progress`; a reasoning item (summary text deltas), a message item
 * (`output_item.added`, `content_part.added`, `output_text.delta`s, `output_text.done`,
 * `content_part.done`, `output_item.done`), function_call items (arguments as one delta);
 * then `response.completed` (or `response.incomplete` when cut by max_output_tokens) with usage.
 * Unlike Ollama it also sends `reasoning_summary_part.added/done`, without which the openai
 * SDK's stream helper cannot place summary deltas. Every event has a `sequence_number`.
 */
export class ResponseStreamEvents {
  private seq = 0;
  private started = false;
  private open: OpenItem | undefined;
  private readonly done: OutputItem[] = [];
  private toolCalls = 0;
  private readonly createdAt = unixSeconds();

  constructor(
    private readonly body: ResponsesBody,
    private readonly ids: ResponseIds,
    private model: string,
  ) {}

  next(event: ChatStreamEvent): string {
    let out = '';
    if (!this.started) {
      this.started = true;
      this.model = event.model || this.model;
      const response = this.response({ status: 'in_progress' }, null);
      out += this.event('response.created', { response });
      out += this.event('response.in_progress', { response });
    }
    const m = event.message;
    if (m.thinking) out += this.text('reasoning', m.thinking);
    if (m.content) out += this.text('message', m.content);
    for (const call of m.toolCalls ?? []) {
      out += this.close();
      const index = this.done.length;
      const id = this.ids.item('fc', index);
      const callId = this.ids.call(this.toolCalls++);
      const args = JSON.stringify(call.function.arguments);
      const name = call.function.name;
      const at = { item_id: id, output_index: index };
      out += this.event('response.output_item.added', {
        output_index: index,
        item: functionCallItem(id, callId, name, '', 'in_progress'),
      });
      out += this.event('response.function_call_arguments.delta', { ...at, delta: args });
      out += this.event('response.function_call_arguments.done', { ...at, name, arguments: args });
      out += this.finish(functionCallItem(id, callId, name, args));
    }
    if (event.done) {
      out += this.close();
      const state = finalStatus(event.doneReason);
      const response = this.response(state, responsesUsage(event.metrics));
      const type = state.status === 'completed' ? 'response.completed' : 'response.incomplete';
      out += this.event(type, { response });
    }
    return out;
  }

  /** After a failure mid-stream: an `error` event and `response.failed`, as OpenAI ends. */
  failure(error: GatewayError, message: string): string {
    const failed = { code: error.code, message };
    const response = this.response({ status: 'failed', error: failed }, null);
    return `${this.event('error', { ...failed, param: null })}${this.event('response.failed', { response })}`;
  }

  private text(kind: OpenItem['kind'], delta: string): string {
    let out = '';
    if (this.open?.kind !== kind) {
      out += this.close();
      const index = this.done.length;
      const id = this.ids.item(kind === 'reasoning' ? 'rs' : 'msg', index);
      this.open = { kind, index, id, text: '' };
      const at = { item_id: id, output_index: index };
      if (kind === 'reasoning') {
        out += this.event('response.output_item.added', {
          output_index: index,
          item: { id, type: 'reasoning', summary: [] },
        });
        out += this.event('response.reasoning_summary_part.added', {
          ...at,
          summary_index: 0,
          part: { type: 'summary_text', text: '' },
        });
      } else {
        out += this.event('response.output_item.added', {
          output_index: index,
          item: { id, type: 'message', status: 'in_progress', role: 'assistant', content: [] },
        });
        out += this.event('response.content_part.added', {
          ...at,
          content_index: 0,
          part: outputText(''),
        });
      }
    }
    const open = this.open!;
    open.text += delta;
    const at = { item_id: open.id, output_index: open.index };
    if (kind === 'reasoning') {
      return `${out}${this.event('response.reasoning_summary_text.delta', { ...at, summary_index: 0, delta })}`;
    }
    return `${out}${this.event('response.output_text.delta', { ...at, content_index: 0, delta, logprobs: [] })}`;
  }

  private close(): string {
    const open = this.open;
    if (!open) return '';
    this.open = undefined;
    const at = { item_id: open.id, output_index: open.index };
    if (open.kind === 'reasoning') {
      const part = { type: 'summary_text', text: open.text };
      return (
        this.event('response.reasoning_summary_text.done', {
          ...at,
          summary_index: 0,
          text: open.text,
        }) +
        this.event('response.reasoning_summary_part.done', { ...at, summary_index: 0, part }) +
        this.finish(reasoningItem(open.id, open.text))
      );
    }
    return (
      this.event('response.output_text.done', {
        ...at,
        content_index: 0,
        text: open.text,
        logprobs: [],
      }) +
      this.event('response.content_part.done', {
        ...at,
        content_index: 0,
        part: outputText(open.text),
      }) +
      this.finish(messageItem(open.id, open.text))
    );
  }

  private finish(item: OutputItem): string {
    const index = this.done.length;
    this.done.push(item);
    return this.event('response.output_item.done', { output_index: index, item });
  }

  private response(
    state: Parameters<typeof responseObject>[4],
    usage: ReturnType<typeof responsesUsage> | null,
  ) {
    const { body, ids, model, createdAt } = this;
    return responseObject(body, ids, model, createdAt, state, [...this.done], usage);
  }

  private event(type: string, data: Record<string, unknown>): string {
    return sseEvent(type, { type, ...data, sequence_number: this.seq++ });
  }
}
