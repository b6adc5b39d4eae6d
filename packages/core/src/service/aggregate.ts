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

export async function aggregateChat(
  events: AsyncIterable<ChatStreamEvent>,
  hooks: AggregateHooks = {},
): Promise<ChatResult> {
  let content = '';
  let thinking = '';
  const toolCalls: ToolCall[] = [];
  let first = true;
  try {
    for await (const event of events) {
      const m = event.message;
      if (first && (m.content || m.thinking || m.toolCalls || event.done)) {
        first = false;
        hooks.onFirstToken?.();
      }
      content += m.content;
      if (m.thinking) thinking += m.thinking;
      if (m.toolCalls) toolCalls.push(...m.toolCalls);
      if (event.done) {
        const message: ChatResult['message'] = { role: 'assistant', content };
        if (thinking) message.thinking = thinking;
        if (toolCalls.length > 0) message.toolCalls = toolCalls;
        return { ...event, message };
      }
    }
  } catch (error) {
    throw withPartial(error, content, thinking);
  }
  throw new GatewayError('STREAM_INTERRUPTED', 'Upstream stream ended before done', {
    details: { partialText: content },
  });
}

export async function aggregateGenerate(
  events: AsyncIterable<GenerateStreamEvent>,
  hooks: AggregateHooks = {},
): Promise<GenerateResult> {
  let response = '';
  let thinking = '';
  let first = true;
  try {
    for await (const event of events) {
      if (first && (event.response || event.thinking || event.done)) {
        first = false;
        hooks.onFirstToken?.();
      }
      response += event.response;
      if (event.thinking) thinking += event.thinking;
      if (event.done) {
        const result: GenerateResult = { ...event, response };
        if (thinking) result.thinking = thinking;
        else delete result.thinking;
        return result;
      }
    }
  } catch (error) {
    throw withPartial(error, response, thinking);
  }
  throw new GatewayError('STREAM_INTERRUPTED', 'Upstream stream ended before done', {
    details: { partialText: response },
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
