import { z } from 'zod';
import {
  chatMessageSchema,
  keepAliveSchema,
  lastEventIdSchema,
  modelNameSchema,
  modelOptionsSchema,
  responseFormatSchema,
  thinkSchema,
  timingsSchema,
  toolCallSchema,
  toolDefinitionSchema,
  usageSchema,
} from './common.js';

// ---- inputs ---------------------------------------------------------------------------------

/** What chat and generate both take besides their text: output format, model options, how long
 * the model stays loaded, thinking, and the cache switch. */
const generationSettings = {
  format: responseFormatSchema
    .optional()
    .describe('`"json"`, or a JSON Schema the answer must follow (structured output).'),
  options: modelOptionsSchema
    .optional()
    .describe('Ollama model options (temperature, seed, num_ctx, …).'),
  keepAlive: keepAliveSchema
    .optional()
    .describe(
      'How long the model stays loaded after this request: seconds (negative = forever) or a Go duration (`"5m"`; `"0"` unloads now).',
    ),
  think: thinkSchema
    .optional()
    .describe('Let a thinking model think first (true, or a level for models that take one).'),
  noCache: z.boolean().optional().describe('Skip the response cache for this request.'),
};

export const chatInputSchema = z.object({
  /** Model name or alias; the gateway's default chat model when absent. */
  model: modelNameSchema
    .optional()
    .describe("Model name or alias; the gateway's default chat model when absent."),
  messages: z
    .array(chatMessageSchema)
    .min(1, 'must contain at least one message')
    .describe('The conversation so far, oldest first; the last one is usually the user turn.'),
  tools: z
    .array(toolDefinitionSchema)
    .optional()
    .describe('Functions the model may call; calls come back as message.toolCalls.'),
  ...generationSettings,
});

export const chatStreamInputSchema = chatInputSchema.extend({ lastEventId: lastEventIdSchema });

export const generateInputSchema = z.object({
  model: modelNameSchema
    .optional()
    .describe("Model name or alias; the gateway's default chat model when absent."),
  prompt: z.string().min(1, 'must not be empty').describe('The text to continue.'),
  suffix: z.string().optional().describe('Text after the insertion point (fill-in-the-middle).'),
  system: z.string().optional().describe("Overrides the model's system prompt."),
  template: z.string().optional().describe("Overrides the model's prompt template (Go syntax)."),
  raw: z.boolean().optional().describe('Send the prompt as is, without the model template.'),
  images: z
    .array(z.string())
    .optional()
    .describe('Base64-encoded images for multimodal models (no data: prefix).'),
  ...generationSettings,
});

export const generateStreamInputSchema = generateInputSchema.extend({
  lastEventId: lastEventIdSchema,
});

const embedCommon = {
  /** Model name or alias; the gateway's default embedding model when absent. */
  model: modelNameSchema
    .optional()
    .describe("Model name or alias; the gateway's default embedding model when absent."),
  truncate: z
    .boolean()
    .optional()
    .describe("Cut inputs longer than the model's context instead of failing (Ollama: true)."),
  dimensions: z
    .number()
    .int()
    .positive()
    .optional()
    .describe('Shorter vectors, for models trained for it (Matryoshka).'),
  keepAlive: keepAliveSchema
    .optional()
    .describe(
      'How long the model stays loaded after this request: seconds (negative = forever) or a Go duration (`"5m"`; `"0"` unloads now).',
    ),
  noCache: z.boolean().optional().describe('Skip the response cache for this request.'),
};

export const embedInputSchema = z.object({
  ...embedCommon,
  input: z.string().min(1, 'must not be empty').describe('The text to embed.'),
});

export const embedBatchInputSchema = z.object({
  ...embedCommon,
  inputs: z
    .array(z.string().min(1, 'must not be empty'))
    .min(1, 'must contain at least one input')
    .max(2048)
    .describe('Texts to embed in one call (at most 2048); vectors come back in the same order.'),
});

// ---- outputs --------------------------------------------------------------------------------

export const assistantMessageSchema = z.object({
  role: z.literal('assistant'),
  content: z.string().describe('The answer text.'),
  thinking: z
    .string()
    .optional()
    .describe('What a thinking model thought before answering (with `think`).'),
  toolCalls: z.array(toolCallSchema).optional().describe('Function calls the model asked for.'),
});

/** Where an answer came from. */
const servedBy = {
  /** The model that answered (aliases resolved). */
  model: z.string().describe('The model that answered (aliases resolved).'),
  createdAt: z.string().describe('When the upstream finished the answer (ISO-8601).'),
  /** Upstream id (e.g. `ollama:http://…`, `embedded`), when known. */
  upstream: z
    .string()
    .optional()
    .describe('Upstream id (e.g. `ollama:http://…`, `embedded`), when known.'),
  /** True when the answer came from the response cache. */
  cached: z.boolean().describe('True when the answer came from the response cache.'),
};

export const chatCompletionOutputSchema = z.object({
  ...servedBy,
  message: assistantMessageSchema,
  /** `stop`, `length`, `load`, `unload`, … as Ollama says. */
  doneReason: z
    .string()
    .optional()
    .describe('Why the answer ended: `stop`, `length` (num_predict reached), … as Ollama says.'),
  usage: usageSchema,
  timings: timingsSchema,
});

/**
 * One event of `chat.stream`. Every event is sent with a tRPC `tracked()` id
 * (`<streamId>:<seq>`); the last one is always `done` (with usage and timings) unless the
 * subscription ends with an error.
 */
export const chatStreamEventSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('delta'),
      content: z.string().describe('The next piece of the answer.'),
      thinking: z.string().optional().describe('The next piece of the thinking, if any.'),
      toolCalls: z.array(toolCallSchema).optional(),
    })
    .describe('A piece of the answer as it is generated.'),
  z
    .object({ type: z.literal('done'), result: chatCompletionOutputSchema })
    .describe('The last event: the whole answer with usage and timings.'),
]);

export const generateOutputSchema = z.object({
  ...servedBy,
  response: z.string().describe('The generated text.'),
  thinking: z.string().optional().describe('What a thinking model thought (with `think`).'),
  doneReason: z.string().optional().describe('Why generation ended: `stop`, `length`, …'),
  context: z
    .array(z.number())
    .optional()
    .describe("Ollama's encoded context, for legacy callers that pass it back."),
  usage: usageSchema,
  timings: timingsSchema,
});

export const generateStreamEventSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('delta'),
      response: z.string().describe('The next piece of the text.'),
      thinking: z.string().optional().describe('The next piece of the thinking, if any.'),
    })
    .describe('A piece of the text as it is generated.'),
  z
    .object({ type: z.literal('done'), result: generateOutputSchema })
    .describe('The last event: the whole text with usage and timings.'),
]);

const embedOutputCommon = {
  model: z.string().describe('The embedding model used (aliases resolved).'),
  upstream: z.string().optional().describe('Upstream id, when known.'),
  cached: z.boolean().describe('True when the vectors came from the response cache.'),
  usage: z.object({ promptTokens: z.number().describe('Tokens read from the inputs.') }),
  timings: timingsSchema,
};

/**
 * Vectors in answers are checked for shape (arrays of numbers' arrays) but passed through as the
 * same arrays, not copied number by number as z.array(z.number()) would: the HTTP writer then
 * reuses the upstream's own text of each vector. Their JSON Schema is that of number arrays.
 */
const isVector = (v: unknown): v is number[] =>
  Array.isArray(v) && (v.length === 0 || typeof v[0] === 'number');
const vectorSchema = z
  .custom<number[]>(isVector, 'must be an array of numbers')
  .meta({ type: 'array', items: { type: 'number' } });
const vectorListSchema = z
  .custom<number[][]>((v) => Array.isArray(v) && v.every(isVector), 'must be a list of vectors')
  .meta({ type: 'array', items: { type: 'array', items: { type: 'number' } } });

export const embedOutputSchema = z.object({
  ...embedOutputCommon,
  embedding: vectorSchema,
});

export const embedBatchOutputSchema = z.object({
  ...embedOutputCommon,
  embeddings: vectorListSchema,
});

export type ChatInput = z.infer<typeof chatInputSchema>;
export type GenerateInput = z.infer<typeof generateInputSchema>;
export type ChatCompletionOutput = z.infer<typeof chatCompletionOutputSchema>;
export type ChatStreamEventOutput = z.infer<typeof chatStreamEventSchema>;
export type GenerateOutput = z.infer<typeof generateOutputSchema>;
export type GenerateStreamEventOutput = z.infer<typeof generateStreamEventSchema>;
export type EmbedOutput = z.infer<typeof embedOutputSchema>;
export type EmbedBatchOutput = z.infer<typeof embedBatchOutputSchema>;
