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

export const chatInputSchema = z.object({
  /** Model name or alias; the gateway's default chat model when absent. */
  model: modelNameSchema.optional(),
  messages: z.array(chatMessageSchema).min(1, 'must contain at least one message'),
  tools: z.array(toolDefinitionSchema).optional(),
  format: responseFormatSchema.optional(),
  options: modelOptionsSchema.optional(),
  keepAlive: keepAliveSchema.optional(),
  think: thinkSchema.optional(),
  /** Skip the response cache for this request. */
  noCache: z.boolean().optional(),
});

export const chatStreamInputSchema = chatInputSchema.extend({ lastEventId: lastEventIdSchema });

export const generateInputSchema = z.object({
  model: modelNameSchema.optional(),
  prompt: z.string().min(1, 'must not be empty'),
  suffix: z.string().optional(),
  system: z.string().optional(),
  template: z.string().optional(),
  raw: z.boolean().optional(),
  images: z.array(z.string()).optional(),
  format: responseFormatSchema.optional(),
  options: modelOptionsSchema.optional(),
  keepAlive: keepAliveSchema.optional(),
  think: thinkSchema.optional(),
  noCache: z.boolean().optional(),
});

export const generateStreamInputSchema = generateInputSchema.extend({
  lastEventId: lastEventIdSchema,
});

const embedCommon = {
  /** Model name or alias; the gateway's default embedding model when absent. */
  model: modelNameSchema.optional(),
  truncate: z.boolean().optional(),
  dimensions: z.number().int().positive().optional(),
  keepAlive: keepAliveSchema.optional(),
  noCache: z.boolean().optional(),
};

export const embedInputSchema = z.object({
  ...embedCommon,
  input: z.string().min(1, 'must not be empty'),
});

export const embedBatchInputSchema = z.object({
  ...embedCommon,
  inputs: z
    .array(z.string().min(1, 'must not be empty'))
    .min(1, 'must contain at least one input')
    .max(2048),
});

// ---- outputs --------------------------------------------------------------------------------

export const assistantMessageSchema = z.object({
  role: z.literal('assistant'),
  content: z.string(),
  thinking: z.string().optional(),
  toolCalls: z.array(toolCallSchema).optional(),
});

/** Where an answer came from. */
const servedBy = {
  /** The model that answered (aliases resolved). */
  model: z.string(),
  createdAt: z.string(),
  /** Upstream id (e.g. `ollama:http://…`, `embedded`), when known. */
  upstream: z.string().optional(),
  /** True when the answer came from the response cache. */
  cached: z.boolean(),
};

export const chatCompletionOutputSchema = z.object({
  ...servedBy,
  message: assistantMessageSchema,
  /** `stop`, `length`, `load`, `unload`, … as Ollama says. */
  doneReason: z.string().optional(),
  usage: usageSchema,
  timings: timingsSchema,
});

/**
 * One event of `chat.stream`. Every event is sent with a tRPC `tracked()` id
 * (`<streamId>:<seq>`); the last one is always `done` (with usage and timings) unless the
 * subscription ends with an error.
 */
export const chatStreamEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('delta'),
    content: z.string(),
    thinking: z.string().optional(),
    toolCalls: z.array(toolCallSchema).optional(),
  }),
  z.object({ type: z.literal('done'), result: chatCompletionOutputSchema }),
]);

export const generateOutputSchema = z.object({
  ...servedBy,
  response: z.string(),
  thinking: z.string().optional(),
  doneReason: z.string().optional(),
  context: z.array(z.number()).optional(),
  usage: usageSchema,
  timings: timingsSchema,
});

export const generateStreamEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('delta'),
    response: z.string(),
    thinking: z.string().optional(),
  }),
  z.object({ type: z.literal('done'), result: generateOutputSchema }),
]);

const embedOutputCommon = {
  model: z.string(),
  upstream: z.string().optional(),
  cached: z.boolean(),
  usage: z.object({ promptTokens: z.number() }),
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
