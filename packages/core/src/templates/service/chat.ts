import { GatewayError } from '../../errors.js';
import type { RequestContext } from '../../service/context.js';
import type { GatewayService } from '../../service/gateway-service.js';
import type { ChatMessage, ChatRequest, ChatResult, Think } from '../../types.js';
import type { JsonSchema } from '../output/json-schema.js';
import { settleStructuredReply } from '../output/structured-reply.js';
import type { RenderAndChatResult, RenderAndChatStreamEvent, RenderedTemplate } from './inputs.js';

export interface ChatOverrides {
  model?: string;
  options?: Record<string, unknown>;
  keepAlive?: number | string;
  think?: Think;
}

/** The chat request for a rendered template: its model/options, the caller's overrides on top. */
export function chatRequestFor(rendered: RenderedTemplate, overrides: ChatOverrides): ChatRequest {
  const messages: ChatMessage[] = [];
  if (rendered.systemPrompt) messages.push({ role: 'system', content: rendered.systemPrompt });
  messages.push({ role: 'user', content: rendered.prompt });
  const request: ChatRequest = {
    messages,
    options: { ...rendered.options, ...(overrides.options ?? {}) },
  };
  const model = overrides.model ?? rendered.model;
  if (model !== undefined) request.model = model;
  if (overrides.keepAlive !== undefined) request.keepAlive = overrides.keepAlive;
  if (overrides.think !== undefined) request.think = overrides.think;
  if (rendered.output !== 'text') request.format = rendered.output.jsonSchema;
  return request;
}

/** ctx with `template` set, so usage and the cache key know which template version ran. */
export function templateContext(ctx: RequestContext, rendered: RenderedTemplate): RequestContext {
  return { ...ctx, template: { id: rendered.templateId, version: rendered.version } };
}

export async function chatWithTemplate(
  gateway: GatewayService,
  rendered: RenderedTemplate,
  overrides: ChatOverrides,
  ctx: RequestContext,
): Promise<RenderAndChatResult> {
  const request = chatRequestFor(rendered, overrides);
  const context = templateContext(ctx, rendered);
  const first = await gateway.chat(request, context);
  return finish(gateway, rendered, request, first, context);
}

export async function* streamWithTemplate(
  gateway: GatewayService,
  rendered: RenderedTemplate,
  overrides: ChatOverrides,
  ctx: RequestContext,
): AsyncGenerator<RenderAndChatStreamEvent> {
  const request = chatRequestFor(rendered, overrides);
  const context = templateContext(ctx, rendered);
  let text = '';
  for await (const event of gateway.chatStream(request, context)) {
    if (!event.done) {
      text += event.message.content;
      yield { type: 'delta', delta: event };
      continue;
    }
    // The final event may or may not repeat the content; the deltas are the source of truth.
    const content = text || event.message.content;
    const result: ChatResult = { ...event, message: { ...event.message, content } };
    yield { type: 'done', ...(await finish(gateway, rendered, request, result, context)) };
    return;
  }
  throw new GatewayError('STREAM_INTERRUPTED', 'The chat stream ended without a final result', {
    details: { partialText: text },
  });
}

async function finish(
  gateway: GatewayService,
  rendered: RenderedTemplate,
  request: ChatRequest,
  first: ChatResult,
  ctx: RequestContext,
): Promise<RenderAndChatResult> {
  const base = { templateId: rendered.templateId, version: rendered.version };
  if (rendered.output === 'text') {
    return { ...base, content: first.message.content, repaired: false, result: first };
  }
  const schema = rendered.output.jsonSchema as JsonSchema;
  const outcome = await settleStructuredReply(request, first, schema, (repair) =>
    gateway.chat(repair, ctx),
  );
  return {
    ...base,
    content: outcome.result.message.content,
    data: outcome.data,
    repaired: outcome.repaired,
    result: outcome.result,
  };
}
