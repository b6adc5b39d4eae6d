import type { GatewayClient } from './create-client.js';
import type { RouterInputs, RouterOutputs } from './router-types.js';
import { type TextStream, type TextStreamOptions, textStream } from './text-stream.js';

type YieldOf<T> = T extends AsyncIterable<infer U> ? U : T;
/** The gateway sends every stream event with a tracked id (`{ id, data }`). */
type Untracked<T> = T extends { id: string; data: infer D } ? D : T;
type EventsOf<T> = Untracked<YieldOf<T>>;

export type ChatStreamInput = RouterInputs['chat']['stream'];
/** One event of `chat.stream`: `delta`s (text), then exactly one `done` with the final result. */
export type ChatStreamEvent = EventsOf<RouterOutputs['chat']['stream']>;
/** The final result: the whole `message`, `usage` (tokens), `timings` (durationMs, ttftMs, …). */
export type ChatStreamResult = Extract<ChatStreamEvent, { type: 'done' }>['result'];
export type ChatStream = TextStream<ChatStreamResult>;
export type ChatStreamOptions = TextStreamOptions;

export type GenerateStreamInput = RouterInputs['chat']['generateStream'];
export type GenerateStreamEvent = EventsOf<RouterOutputs['chat']['generateStream']>;
export type GenerateStreamResult = Extract<GenerateStreamEvent, { type: 'done' }>['result'];
export type GenerateStream = TextStream<GenerateStreamResult>;

export type RenderAndChatStreamInput = RouterInputs['templates']['renderAndChatStream'];
export type RenderAndChatStreamEvent = EventsOf<RouterOutputs['templates']['renderAndChatStream']>;
/** Like `templates.renderAndChat`'s answer: `content`, parsed `data`, `repaired`, `result`. */
export type RenderAndChatStreamResult = Omit<
  Extract<RenderAndChatStreamEvent, { type: 'done' }>,
  'type'
>;
export type RenderAndChatStream = TextStream<RenderAndChatStreamResult>;

/**
 * Streams a chat as text deltas (`chat.stream`, sent as one POST whose answer is a stream):
 *
 *   const stream = chatStream(client, { model, messages });
 *   for await (const text of stream) process.stdout.write(text);
 *   const { usage, timings } = await stream.result;
 */
export function chatStream(
  client: GatewayClient,
  input: ChatStreamInput,
  options: ChatStreamOptions = {},
): ChatStream {
  return textStream<ChatStreamEvent, ChatStreamResult>(
    (handlers) => client.chat.stream.subscribe(input, handlers),
    { name: 'chat', textOf: (delta) => delta.content, resultOf: (done) => done.result },
    options,
  );
}

/** Streams a raw completion (`chat.generateStream`): same shape as `chatStream`. */
export function generateStream(
  client: GatewayClient,
  input: GenerateStreamInput,
  options: TextStreamOptions = {},
): GenerateStream {
  return textStream<GenerateStreamEvent, GenerateStreamResult>(
    (handlers) => client.chat.generateStream.subscribe(input, handlers),
    { name: 'generate', textOf: (delta) => delta.response, resultOf: (done) => done.result },
    options,
  );
}

/** Renders a stored template and streams the model's answer (`templates.renderAndChatStream`). */
export function renderAndChatStream(
  client: GatewayClient,
  input: RenderAndChatStreamInput,
  options: TextStreamOptions = {},
): RenderAndChatStream {
  return textStream<RenderAndChatStreamEvent, RenderAndChatStreamResult>(
    (handlers) => client.templates.renderAndChatStream.subscribe(input, handlers),
    {
      name: 'render-and-chat',
      textOf: (delta) => delta.content,
      resultOf: ({ type: _type, ...done }) => done,
    },
    options,
  );
}
