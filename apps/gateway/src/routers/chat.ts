import { suggestFieldsInputSchema, validateFieldInputSchema } from '@intellicore/llm-core';
import {
  type ChatCompletionOutput,
  chatCompletionOutputSchema,
  chatInputSchema,
  chatStreamInputSchema,
  type EmbedBatchOutput,
  type EmbedOutput,
  embedBatchInputSchema,
  embedBatchOutputSchema,
  embedInputSchema,
  embedOutputSchema,
  fieldValidationOutputSchema,
  type GenerateOutput,
  generateInputSchema,
  generateOutputSchema,
  generateStreamInputSchema,
  suggestFieldsOutputSchema,
} from '../schemas/index.js';
import { shapeChat, shapeEmbedCommon, shapeGenerate } from '../shape.js';
import { authedProcedure, router } from '../trpc.js';
import { chatEvents, generateEvents } from './chat-stream.js';
import { coreContext, type RouterDeps } from './deps.js';
import { templatesOf } from './templates.js';

export function createChatRouter(deps: RouterDeps) {
  const { service } = deps;
  return router({
    // The inference answers declare their schema as meta, not .output(): see ProcedureMeta.
    completion: authedProcedure
      .meta({ output: chatCompletionOutputSchema })
      .input(chatInputSchema)
      .mutation(async ({ input, ctx, signal }): Promise<ChatCompletionOutput> => {
        const startedAt = performance.now();
        const { noCache, ...request } = input;
        ctx.record.model = request.model;
        if (deps.logPrompts) ctx.record.prompt = request.messages;
        const result = await service.chat(request, coreContext(ctx, signal, noCache));
        if (deps.logPrompts) ctx.record.completion = result.message.content;
        return shapeChat(result, startedAt, ctx.record);
      }),

    /** Deltas, then one `done` event with usage and timings; see chat-stream.ts for reconnects. */
    stream: authedProcedure
      .input(chatStreamInputSchema)
      .subscription(({ input, ctx, signal }) => chatEvents(deps, input, ctx, signal)),

    generate: authedProcedure
      .meta({ output: generateOutputSchema })
      .input(generateInputSchema)
      .mutation(async ({ input, ctx, signal }): Promise<GenerateOutput> => {
        const startedAt = performance.now();
        const { noCache, ...request } = input;
        ctx.record.model = request.model;
        if (deps.logPrompts) ctx.record.prompt = request.prompt;
        const result = await service.generate(request, coreContext(ctx, signal, noCache));
        if (deps.logPrompts) ctx.record.completion = result.response;
        return shapeGenerate(result, startedAt, ctx.record);
      }),

    generateStream: authedProcedure
      .input(generateStreamInputSchema)
      .subscription(({ input, ctx, signal }) => generateEvents(deps, input, ctx, signal)),

    embed: authedProcedure
      .meta({ output: embedOutputSchema })
      .input(embedInputSchema)
      .mutation(async ({ input, ctx, signal }): Promise<EmbedOutput> => {
        const startedAt = performance.now();
        const { noCache, ...request } = input;
        ctx.record.model = request.model;
        const result = await service.embed(request, coreContext(ctx, signal, noCache));
        return {
          ...shapeEmbedCommon(result, startedAt, ctx.record),
          embedding: result.embeddings[0] ?? [],
        };
      }),

    /** Is this field value valid? On the `field-validation` built-in template. */
    validateField: authedProcedure
      .input(validateFieldInputSchema)
      .output(fieldValidationOutputSchema)
      .mutation(({ input, ctx, signal }) => {
        ctx.record.model = input.model;
        return templatesOf(deps).validateField(input, coreContext(ctx, signal));
      }),

    /** Fields an object type should have. On the `object-type-suggestion` built-in template. */
    suggestFields: authedProcedure
      .input(suggestFieldsInputSchema)
      .output(suggestFieldsOutputSchema)
      .mutation(({ input, ctx, signal }) => {
        ctx.record.model = input.model;
        return templatesOf(deps).suggestFields(input, coreContext(ctx, signal));
      }),

    embedBatch: authedProcedure
      .meta({ output: embedBatchOutputSchema })
      .input(embedBatchInputSchema)
      .mutation(async ({ input, ctx, signal }): Promise<EmbedBatchOutput> => {
        const startedAt = performance.now();
        const { noCache, inputs, ...rest } = input;
        ctx.record.model = rest.model;
        const result = await service.embed(
          { ...rest, input: inputs },
          coreContext(ctx, signal, noCache),
        );
        return {
          ...shapeEmbedCommon(result, startedAt, ctx.record),
          embeddings: result.embeddings,
        };
      }),
  });
}
