/**
 * Chat on the embedded engine: Ollama messages → node-llama-cpp chat history, rendered through
 * the model's own chat template (node-llama-cpp resolves a wrapper from `tokenizer.chat_template`
 * or falls back to a generic one), generated with LlamaChat on a leased sequence.
 */
import type {
  ChatHistoryItem,
  ChatWrapper,
  LlamaContextSequence,
  LlamaGrammar,
  LlamaModel,
} from 'node-llama-cpp';
import { badRequest, type FieldError } from '../../errors.js';
import type { ChatMessage, ChatRequest, ChatStreamEvent, ResponseFormat } from '../../types.js';
import type { Resolved } from '../provider.js';
import type { NodeLlamaCpp } from './engine.js';
import type { EngineHooks, EngineStopReason, GenerationEvent } from './generation-run.js';
import type { SamplingOptions } from './options.js';

/** Rejects what the engine cannot honour instead of silently dropping it. */
export function validateChatRequest(request: Resolved<ChatRequest>): void {
  const errors: FieldError[] = [];
  if (!Array.isArray(request.messages) || request.messages.length === 0) {
    errors.push({ path: 'messages', message: 'must contain at least one message' });
  }
  request.messages?.forEach((m, i) => {
    if (typeof m.content !== 'string')
      errors.push({ path: `messages.${i}.content`, message: 'must be a string' });
    if (m.images?.length) {
      errors.push({
        path: `messages.${i}.images`,
        message: 'images are not supported by the embedded engine',
      });
    }
  });
  if (request.tools?.length) {
    errors.push({ path: 'tools', message: 'tool calling is not supported by the embedded engine' });
  }
  if (errors.length > 0) throw badRequest(errors);
}

export function toChatHistory(messages: readonly ChatMessage[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = messages.map((m): ChatHistoryItem => {
    switch (m.role) {
      case 'system':
        return { type: 'system', text: m.content };
      case 'assistant':
        return { type: 'model', response: [m.content] };
      case 'tool':
        return { type: 'user', text: `Result of tool ${m.toolName ?? ''}:\n${m.content}` };
      default:
        return { type: 'user', text: m.content };
    }
  });
  // A trailing assistant message is continued (prefill); otherwise the model answers afresh.
  if (history.at(-1)?.type !== 'model') history.push({ type: 'model', response: [] });
  return history;
}

const wrappers = new WeakMap<LlamaModel, ChatWrapper>();

function chatWrapperFor(module: NodeLlamaCpp, model: LlamaModel): ChatWrapper {
  let wrapper = wrappers.get(model);
  if (!wrapper) {
    wrapper = module.resolveChatWrapper(model, { fallbackToOtherWrappersOnJinjaError: true });
    wrappers.set(model, wrapper);
  }
  return wrapper;
}

/** `format: "json"` or a JSON schema → a grammar constraining the output. */
export async function grammarFor(
  model: LlamaModel,
  format: ResponseFormat | undefined,
): Promise<LlamaGrammar | undefined> {
  if (format === undefined) return undefined;
  try {
    if (format === 'json') return await model.llama.getGrammarFor('json');
    return await model.llama.createGrammarForJsonSchema(format as never);
  } catch (cause) {
    throw badRequest([{ path: 'format', message: `unsupported JSON schema: ${String(cause)}` }]);
  }
}

export async function runChat(
  module: NodeLlamaCpp,
  target: { sequence: LlamaContextSequence; model: LlamaModel },
  request: Resolved<ChatRequest>,
  sampling: SamplingOptions,
  hooks: EngineHooks,
): Promise<EngineStopReason> {
  const grammar = await grammarFor(target.model, request.format);
  const chatWrapper = chatWrapperFor(module, target.model);
  const history = toChatHistory(request.messages);
  assertPromptFits(chatWrapper, target, history);
  const chat = new module.LlamaChat({ contextSequence: target.sequence, chatWrapper });
  try {
    const result = await chat.generateResponse(history, {
      ...(grammar ? { grammar } : {}),
      signal: hooks.signal,
      stopOnAbortSignal: true,
      temperature: sampling.temperature,
      topK: sampling.topK,
      topP: sampling.topP,
      ...(sampling.minP === undefined ? {} : { minP: sampling.minP }),
      ...(sampling.seed === undefined ? {} : { seed: sampling.seed }),
      maxTokens: sampling.maxTokens ?? target.sequence.contextSize,
      repeatPenalty: sampling.repeatPenalty,
      ...(sampling.stop.length > 0 ? { customStopTriggers: sampling.stop } : {}),
      onToken: hooks.onTokens,
      onResponseChunk: (chunk) => {
        const text = hooks.take(chunk.tokens, chunk.text);
        if (!text) return;
        if (chunk.type === 'segment' && chunk.segmentType === 'thought') {
          hooks.emit({ content: '', thinking: text });
        } else if (chunk.type === undefined) {
          hooks.emit({ content: text });
        }
      },
    });
    return result.metadata.stopReason;
  } finally {
    chat.dispose();
  }
}

/**
 * LlamaChat makes room by dropping the oldest turns (it keeps the first system message), but when
 * what it keeps still does not fit, it answers a silent cut of the last message (measured: 68 of
 * its 419 tokens in a 256-token context) or, longer still, no message at all: an answer to no
 * question, metered as 0 prompt tokens. Refused here instead, naming the sizes, when the system
 * message and the last user turn alone need the whole context.
 */
function assertPromptFits(
  chatWrapper: ChatWrapper,
  target: { sequence: LlamaContextSequence; model: LlamaModel },
  history: ChatHistoryItem[],
): void {
  const contextSize = target.sequence.contextSize;
  const count = (items: ChatHistoryItem[]) =>
    chatWrapper
      .generateContextState({ chatHistory: items })
      .contextText.tokenize(target.model.tokenizer).length;
  if (count(history) < contextSize) return;
  const lastUser = history.findLastIndex((item) => item.type === 'user');
  const system = history[0]?.type === 'system' ? [history[0]] : [];
  const kept = [...system, ...history.slice(Math.max(lastUser, system.length))];
  const needed = count(kept);
  if (needed < contextSize) return;
  throw badRequest([
    {
      path: 'messages',
      message: `the prompt needs ${needed} tokens but the model's context holds ${contextSize} (num_ctx): shorten the last message or the system message`,
    },
  ]);
}

/** Ollama's chat stream shape: deltas, then a final event with empty content and the metrics. */
export function toChatEvent(model: string, event: GenerationEvent): ChatStreamEvent {
  const createdAt = new Date().toISOString();
  if (event.done) {
    return {
      done: true,
      model,
      createdAt,
      message: { role: 'assistant', content: '' },
      doneReason: event.doneReason,
      metrics: event.metrics,
    };
  }
  const message: ChatStreamEvent['message'] = { role: 'assistant', content: event.piece.content };
  if (event.piece.thinking) message.thinking = event.piece.thinking;
  return { done: false, model, createdAt, message };
}
