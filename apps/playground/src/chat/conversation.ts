import type { ChatStreamInput, ChatStreamResult } from '@intellicore/llm-client';
import type { ShownError } from '../api/errors.js';

/**
 * The conversation as plain data: a list of exchanges (one question, one answer). Only
 * finished exchanges are sent as context; stopped and failed ones stay on screen, marked.
 */
export type AnswerStatus = 'streaming' | 'done' | 'stopped' | 'failed';

export interface Answer {
  status: AnswerStatus;
  content: string;
  thinking?: string;
  /** The model asked (as picked); `result.model` says which one answered. */
  model: string;
  result?: ChatStreamResult;
  error?: ShownError;
}

export interface Exchange {
  id: string;
  question: string;
  answer: Answer;
}

export interface ChatSettings {
  model: string;
  system: string;
  temperature: number | undefined;
  seed: number | undefined;
  /** Ask a thinking model to think (only offered when the model says it can). */
  think: boolean;
}

export const DEFAULT_SETTINGS: ChatSettings = {
  model: '',
  system: '',
  temperature: undefined,
  seed: undefined,
  think: false,
};

let counter = 0;
export const newExchange = (question: string, model: string): Exchange => ({
  id: `${Date.now().toString(36)}-${(counter++).toString(36)}`,
  question,
  answer: { status: 'streaming', content: '', model },
});

/** True when an exchange is part of the context of later messages. */
export const inContext = (e: Exchange): boolean => e.answer.status === 'done';

/** The request for `question` after `before`: system prompt, finished exchanges, the question. */
export function chatRequest(
  before: readonly Exchange[],
  question: string,
  settings: ChatSettings,
): ChatStreamInput {
  const options: Record<string, number> = {};
  if (settings.temperature !== undefined) options.temperature = settings.temperature;
  if (settings.seed !== undefined) options.seed = settings.seed;
  const messages: ChatStreamInput['messages'] = [];
  if (settings.system.trim()) messages.push({ role: 'system', content: settings.system });
  for (const e of before.filter(inContext)) {
    messages.push({ role: 'user', content: e.question });
    messages.push({ role: 'assistant', content: e.answer.content });
  }
  messages.push({ role: 'user', content: question });
  return {
    ...(settings.model ? { model: settings.model } : {}),
    messages,
    ...(Object.keys(options).length > 0 ? { options } : {}),
    ...(settings.think ? { think: true } : {}),
  };
}
