import type { ChatStreamEvent } from '@intellicore/llm-core';
import { sseEvent } from '../sse.js';
import { type MessageIds, stopReason, thinkingSignature, usageOfMetrics } from './message.js';

type OpenBlock = 'thinking' | 'text';

/**
 * Core chat events → Anthropic's stream, in the sequence Ollama's /v1/messages sends:
 * `message_start` (with a `ping` after it, as Anthropic does), then content blocks in order —
 * a thinking block (`thinking_delta`s, closed by a `signature_delta`), a text block
 * (`text_delta`s), one block per tool call (its whole input as one `input_json_delta`) — each
 * opened by `content_block_start` and closed by `content_block_stop`; finally `message_delta`
 * (stop_reason, usage) and `message_stop`. One instance per response.
 */
export class MessageStreamEvents {
  private started = false;
  private index = -1;
  private open: OpenBlock | undefined;
  private thinking = '';
  private toolCalls = 0;

  constructor(
    private readonly ids: MessageIds,
    private model: string,
    /** input_tokens for `message_start`: the real count only comes with the last event. */
    private readonly estimatedInputTokens: number,
  ) {}

  /** The SSE frames for one core event (possibly several events, possibly none). */
  next(event: ChatStreamEvent): string {
    let out = '';
    if (!this.started) {
      this.started = true;
      this.model = event.model || this.model;
      out += sseEvent('message_start', {
        type: 'message_start',
        message: {
          id: this.ids.message,
          type: 'message',
          role: 'assistant',
          model: this.model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: this.estimatedInputTokens, output_tokens: 0 },
        },
      });
      out += sseEvent('ping', { type: 'ping' });
    }
    const m = event.message;
    if (m.thinking) {
      out += this.ensureOpen('thinking', { type: 'thinking', thinking: '', signature: '' });
      this.thinking += m.thinking;
      out += this.delta({ type: 'thinking_delta', thinking: m.thinking });
    }
    if (m.content) {
      out += this.ensureOpen('text', { type: 'text', text: '' });
      out += this.delta({ type: 'text_delta', text: m.content });
    }
    for (const call of m.toolCalls ?? []) {
      out += this.close();
      this.index++;
      out += sseEvent('content_block_start', {
        type: 'content_block_start',
        index: this.index,
        content_block: {
          type: 'tool_use',
          id: this.ids.toolUse(this.toolCalls++),
          name: call.function.name,
          input: {},
        },
      });
      out += this.delta({
        type: 'input_json_delta',
        partial_json: JSON.stringify(call.function.arguments),
      });
      out += this.stop();
    }
    if (event.done) {
      out += this.close();
      out += sseEvent('message_delta', {
        type: 'message_delta',
        delta: {
          stop_reason: stopReason(event.doneReason, this.toolCalls > 0),
          stop_sequence: null,
        },
        usage: usageOfMetrics(event.metrics),
      });
      out += sseEvent('message_stop', { type: 'message_stop' });
    }
    return out;
  }

  private ensureOpen(kind: OpenBlock, block: Record<string, unknown>): string {
    if (this.open === kind) return '';
    const closed = this.close();
    this.open = kind;
    this.index++;
    return `${closed}${sseEvent('content_block_start', {
      type: 'content_block_start',
      index: this.index,
      content_block: block,
    })}`;
  }

  /** Ends the open block; a thinking block gets its signature first. */
  private close(): string {
    if (this.open === undefined) return '';
    let out = '';
    if (this.open === 'thinking') {
      out += this.delta({ type: 'signature_delta', signature: thinkingSignature(this.thinking) });
      this.thinking = '';
    }
    this.open = undefined;
    return out + this.stop();
  }

  private delta(delta: Record<string, unknown>): string {
    return sseEvent('content_block_delta', {
      type: 'content_block_delta',
      index: this.index,
      delta,
    });
  }

  private stop(): string {
    return sseEvent('content_block_stop', { type: 'content_block_stop', index: this.index });
  }
}
