// @intellicore/llm-client — typed SDK for the intelliCore LLM Gateway (browser and Node).
export {
  type ChatStream,
  type ChatStreamEvent,
  type ChatStreamInput,
  type ChatStreamOptions,
  type ChatStreamResult,
  chatStream,
  type GenerateStream,
  type GenerateStreamEvent,
  type GenerateStreamInput,
  type GenerateStreamResult,
  generateStream,
  type RenderAndChatStream,
  type RenderAndChatStreamEvent,
  type RenderAndChatStreamInput,
  type RenderAndChatStreamResult,
  renderAndChatStream,
} from './chat-stream.js';
export {
  createGatewayClient,
  type GatewayClient,
  type GatewayClientOptions,
} from './create-client.js';
export {
  GatewayClientError,
  type GatewayClientErrorCode,
  type GatewayErrorCode,
  type GatewayFieldError,
  isGatewayClientError,
} from './errors.js';
export type { EventSourceConstructor } from './event-source.js';
export type { HeadersOption } from './headers.js';
export { type EventStreamLinkOptions, eventStreamLink } from './links/event-stream-link.js';
export { plainJson } from './plain-json.js';
export type { AppRouter, RouterInputs, RouterOutputs } from './router-types.js';
export type { TextStream, TextStreamOptions } from './text-stream.js';
