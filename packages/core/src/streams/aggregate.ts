/**
 * Folds a chat/generate stream into one result. Upstreams are always streamed (no 5-minute
 * headers timeout, cancellation at any moment); a non-stream caller gets the fold. When the
 * stream fails after producing text, the error carries it as `details.partialText`.
 */
import { GatewayError, toGatewayError } from '../errors.js';
import type {
  ChatResult,
  ChatStreamEvent,
  GenerateResult,
  GenerateStreamEvent,
  ToolCall,
} from '../types.js';

export interface AggregateHooks {
  /** Called once, when the first event with output (or the final event) arrives. */
  onFirstToken?: () => void;
}

/**
 * The whole answer of a chat stream, built as its events pass: the final event carries only the
 * last chunk's text, so whoever needs the full message (a non-stream caller, a stream's `done`
 * event) folds the deltas here.
 */
export class ChatFold {
  content = '';
  thinking = '';
  readonly toolCalls: ToolCall[] = [];

  add(event: ChatStreamEvent): void {
    const m = event.message;
    this.content += m.content;
    if (m.thinking) this.thinking += m.thinking;
    if (m.toolCalls?.length) this.toolCalls.push(...m.toolCalls);
  }

  /** The final event with the whole message in place of its own. */
  result<T extends ChatResult>(final: T): T {
    const message: ChatResult['message'] = { role: 'assistant', content: this.content };
    if (this.thinking) message.thinking = this.thinking;
    if (this.toolCalls.length > 0) message.toolCalls = this.toolCalls;
    return { ...final, message };
  }
}

/** The whole answer of a generate stream, built as its events pass (see ChatFold). */
export class GenerateFold {
  response = '';
  thinking = '';

  add(event: GenerateStreamEvent): void {
    this.response += event.response;
    if (event.thinking) this.thinking += event.thinking;
  }

  /** The final event with the whole response (and thinking, when there was any). */
  result<T extends GenerateResult>(final: T): T {
    const result: T = { ...final, response: this.response };
    if (this.thinking) result.thinking = this.thinking;
    else delete result.thinking;
    return result;
  }
}

export async function aggregateChat(
  events: AsyncIterable<ChatStreamEvent>,
  hooks: AggregateHooks = {},
): Promise<ChatResult> {
  const fold = new ChatFold();
  let first = true;
  try {
    for await (const event of events) {
      const m = event.message;
      if (first && (m.content || m.thinking || m.toolCalls || event.done)) {
        first = false;
        hooks.onFirstToken?.();
      }
      fold.add(event);
      if (event.done) return fold.result(event);
    }
  } catch (error) {
    throw withPartial(error, fold.content, fold.thinking);
  }
  throw new GatewayError('STREAM_INTERRUPTED', 'Upstream stream ended before done', {
    details: { partialText: fold.content },
  });
}

export async function aggregateGenerate(
  events: AsyncIterable<GenerateStreamEvent>,
  hooks: AggregateHooks = {},
): Promise<GenerateResult> {
  const fold = new GenerateFold();
  let first = true;
  try {
    for await (const event of events) {
      if (first && (event.response || event.thinking || event.done)) {
        first = false;
        hooks.onFirstToken?.();
      }
      fold.add(event);
      if (event.done) return fold.result(event);
    }
  } catch (error) {
    throw withPartial(error, fold.response, fold.thinking);
  }
  throw new GatewayError('STREAM_INTERRUPTED', 'Upstream stream ended before done', {
    details: { partialText: fold.response },
  });
}

/** Re-throws a stream failure with the text produced so far attached. */
function withPartial(error: unknown, text: string, thinking: string): GatewayError {
  const e = toGatewayError(error);
  if (!text && !thinking) return e;
  return new GatewayError(e.code, e.message, {
    ...(e.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: e.retryAfterSeconds }),
    ...(e.fieldErrors === undefined ? {} : { fieldErrors: e.fieldErrors }),
    ...(e.upstream === undefined ? {} : { upstream: e.upstream }),
    details: {
      ...e.details,
      partialText: text,
      ...(thinking ? { partialThinking: thinking } : {}),
    },
    cause: e.cause,
  });
}
