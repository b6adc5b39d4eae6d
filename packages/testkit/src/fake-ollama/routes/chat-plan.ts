import {
  type FakeMessage,
  type FakeTool,
  type FakeToolCall,
  fakeChatReply,
  fakeGenerateReply,
  fakeJsonReply,
  fakeReplyChunks,
  fakeThinking,
  fakeTokenCount,
  fakeToolCall,
  lastUserContent,
} from '../deterministic.js';

/** What one fake generation says, before it is put in any wire format. */
export interface ReplyPlan {
  thinking: string[];
  content: string[];
  toolCall?: FakeToolCall;
  doneReason: 'stop' | 'length';
  promptTokens: number;
}

export interface PlanInput {
  model: string;
  /** Chat messages, or undefined for a generate prompt. */
  messages?: FakeMessage[];
  prompt?: string;
  system?: string;
  tools?: FakeTool[];
  format?: unknown;
  think?: unknown;
  maxTokens?: number;
}

/** Text of a message's content: a string, or OpenAI-style parts whose text is joined. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((p) => (typeof p?.text === 'string' ? p.text : '')).join('');
}

export function toMessages(raw: unknown): FakeMessage[] {
  if (!Array.isArray(raw)) return [];
  return raw.map((m) => ({ role: String(m?.role ?? ''), content: contentText(m?.content) }));
}

export function planReply(input: PlanInput): ReplyPlan {
  const isChat = input.messages !== undefined;
  const messages = input.messages ?? [];
  const userText = isChat ? lastUserContent(messages) : (input.prompt ?? '');
  const promptText = isChat
    ? messages.map((m) => m.content).join('\n')
    : `${input.system ?? ''}${input.prompt ?? ''}`;
  const promptTokens = Math.max(1, fakeTokenCount(promptText));
  const thinking = thinkEnabled(input.think) ? fakeReplyChunks(fakeThinking(userText)) : [];
  const toolCall = isChat ? fakeToolCall(input.tools ?? [], userText) : undefined;
  if (toolCall) return { thinking, content: [], toolCall, doneReason: 'stop', promptTokens };
  let text = isChat
    ? fakeChatReply(messages, input.model)
    : fakeGenerateReply(userText, input.model);
  if (input.format !== undefined && input.format !== null && input.format !== '') {
    text = fakeJsonReply(text, input.format);
  }
  let content = fakeReplyChunks(text);
  let doneReason: ReplyPlan['doneReason'] = 'stop';
  if (input.maxTokens !== undefined && content.length > input.maxTokens) {
    content = content.slice(0, input.maxTokens);
    doneReason = 'length';
  }
  return { thinking, content, doneReason, promptTokens };
}

/** `think` is true, or a level ("low" | "medium" | "high") as gpt-oss takes it. */
function thinkEnabled(think: unknown): boolean {
  return think === true || (typeof think === 'string' && think !== '' && think !== 'false');
}
