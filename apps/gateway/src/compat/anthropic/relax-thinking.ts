import {
  type ChatRequest,
  type ChatResult,
  type ChatStreamEvent,
  GatewayError,
  type GatewayService,
  type RequestContext,
} from '@intellicore/llm-core';

/**
 * Anthropic clients (Claude Code first) ask for thinking whatever the model is. Ollama's own
 * /v1/messages therefore drops `think` for a model that cannot think instead of refusing; this
 * door does the same: when the upstream refuses thinking (400 "… does not support thinking")
 * before any output, the request runs once more without `think`. Upstream refusals carry only
 * that sentence, so it is what is matched.
 */
function refusedThinking(error: unknown, request: ChatRequest): boolean {
  return (
    request.think !== undefined &&
    request.think !== false &&
    error instanceof GatewayError &&
    error.code === 'BAD_REQUEST' &&
    /does not support thinking/i.test(error.message)
  );
}

function withoutThink(request: ChatRequest): ChatRequest {
  const { think: _think, ...rest } = request;
  return rest;
}

export async function chatRelaxed(
  service: GatewayService,
  request: ChatRequest,
  ctx: RequestContext,
): Promise<ChatResult> {
  try {
    return await service.chat(request, ctx);
  } catch (error) {
    if (!refusedThinking(error, request)) throw error;
    return service.chat(withoutThink(request), ctx);
  }
}

export async function* chatStreamRelaxed(
  service: GatewayService,
  request: ChatRequest,
  ctx: RequestContext,
): AsyncGenerator<ChatStreamEvent> {
  let produced = false;
  try {
    for await (const event of service.chatStream(request, ctx)) {
      produced = true;
      yield event;
    }
  } catch (error) {
    if (produced || !refusedThinking(error, request)) throw error;
    yield* service.chatStream(withoutThink(request), ctx);
  }
}
