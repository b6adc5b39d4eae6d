import {
  createTemplateInputSchema,
  GatewayError,
  listTemplatesInputSchema,
  renderAndChatInputSchema,
  renderTemplateInputSchema,
  setLabelInputSchema,
  type TemplateService,
  templateIdSchema,
  templateRefSchema,
  updateTemplateInputSchema,
} from '@intellicore/llm-core';
import { tracked } from '@trpc/server';
import { z } from 'zod';
import {
  lastEventIdSchema,
  type RenderAndChatStreamEventOutput,
  renderAndChatOutputSchema,
  renderedTemplateSchema,
  templateDeleteOutputSchema,
  templatePageSchema,
  templateVersionInfoSchema,
  templateVersionSchema,
} from '../schemas/index.js';
import { shapeChat } from '../shape.js';
import { adminProcedure, asTrpcError, authedProcedure, router, type TrpcContext } from '../trpc.js';
import { refuseReconnect } from './chat-stream.js';
import { configured, coreContext, type RouterDeps } from './deps.js';

/** The template service, or a clear error when the gateway runs without one. */
export function templatesOf(deps: RouterDeps): TemplateService {
  return configured(deps.templates, 'Templates are not configured');
}

const idInput = z.object({ id: templateIdSchema });
const renderAndChatStreamInputSchema = renderAndChatInputSchema.extend({
  lastEventId: lastEventIdSchema,
});

/** Prompt templates: reads for every key, writes (create/update/delete/setLabel) for admins. */
export function createTemplatesRouter(deps: RouterDeps) {
  return router({
    list: authedProcedure
      .input(listTemplatesInputSchema.optional())
      .output(templatePageSchema)
      .query(({ input }) => templatesOf(deps).list(input)),

    get: authedProcedure
      .input(templateRefSchema)
      .output(templateVersionSchema)
      .query(({ input }) => templatesOf(deps).get(input)),

    versions: authedProcedure
      .input(idInput)
      .output(templateVersionInfoSchema.array())
      .query(({ input }) => templatesOf(deps).versions(input)),

    create: adminProcedure
      .input(createTemplateInputSchema)
      .output(templateVersionSchema)
      .mutation(({ input, ctx, signal }) =>
        templatesOf(deps).create(input, coreContext(ctx, signal)),
      ),

    /** A new immutable version; the fields given replace the latest version's. */
    update: adminProcedure
      .input(updateTemplateInputSchema)
      .output(templateVersionSchema)
      .mutation(({ input, ctx, signal }) =>
        templatesOf(deps).update(input, coreContext(ctx, signal)),
      ),

    delete: adminProcedure
      .input(idInput)
      .output(templateDeleteOutputSchema)
      .mutation(({ input, ctx, signal }) =>
        templatesOf(deps).delete(input, coreContext(ctx, signal)),
      ),

    setLabel: adminProcedure
      .input(setLabelInputSchema)
      .output(templateVersionInfoSchema)
      .mutation(({ input, ctx, signal }) =>
        templatesOf(deps).setLabel(input, coreContext(ctx, signal)),
      ),

    /** Renders without calling a model (a mutation: variables can be large for a URL). */
    render: authedProcedure
      .input(renderTemplateInputSchema)
      .output(renderedTemplateSchema)
      .mutation(({ input }) => templatesOf(deps).render(input)),

    renderAndChat: authedProcedure
      .input(renderAndChatInputSchema)
      .output(renderAndChatOutputSchema)
      .mutation(async ({ input, ctx, signal }) => {
        const startedAt = performance.now();
        ctx.record.model = input.model;
        const out = await templatesOf(deps).renderAndChat(input, coreContext(ctx, signal));
        return { ...out, result: shapeChat(out.result, startedAt, ctx.record) };
      }),

    /** Same reconnect rule as chat.stream (tracked ids; a reconnect is never re-run). */
    renderAndChatStream: authedProcedure
      .input(renderAndChatStreamInputSchema)
      .subscription(({ input, ctx, signal }) => renderAndChatEvents(deps, input, ctx, signal)),
  });
}

async function* renderAndChatEvents(
  deps: RouterDeps,
  input: z.infer<typeof renderAndChatStreamInputSchema>,
  ctx: TrpcContext,
  signal: AbortSignal | undefined,
): AsyncGenerator<ReturnType<typeof tracked<RenderAndChatStreamEventOutput>>> {
  const { lastEventId, ...request } = input;
  if (lastEventId) refuseReconnect(lastEventId);
  const startedAt = performance.now();
  ctx.record.model = request.model;
  ctx.record.stream = true;
  let seq = 0;
  let ttftMs: number | undefined;
  try {
    const events = templatesOf(deps).renderAndChatStream(request, coreContext(ctx, signal));
    for await (const event of events) {
      let out: RenderAndChatStreamEventOutput;
      if (event.type === 'delta') {
        ttftMs ??= performance.now() - startedAt;
        const m = event.delta.message;
        out = { type: 'delta', content: m.content };
        if (m.thinking) out.thinking = m.thinking;
        if (m.toolCalls?.length) out.toolCalls = m.toolCalls;
      } else {
        const result = shapeChat(event.result, startedAt, ctx.record, ttftMs);
        out = { ...event, result };
      }
      yield tracked(`${ctx.requestId}:${seq++}`, out);
    }
  } catch (error) {
    ctx.record.code = error instanceof GatewayError ? error.code : 'INTERNAL';
    throw asTrpcError(error);
  }
}
