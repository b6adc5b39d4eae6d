import { modelOptionFields } from '@intellicore/llm-core';
import { z } from 'zod';
import { reasoningEffortSchema } from './reasoning.js';

/** OpenAI request bodies, as much as the gateway maps to Ollama semantics. Unknown fields are
 * ignored (SDKs send extras); known fields are type-checked and named on error. */

const textPart = z.object({ type: z.literal('text'), text: z.string() });
/** `image_url` as OpenAI documents it (`{url}`) or as a plain URL string (LangChain sends that;
 * Ollama's own /v1 takes both). */
const imagePart = z.object({
  type: z.literal('image_url'),
  image_url: z.union([z.string(), z.object({ url: z.string(), detail: z.string().optional() })]),
});

const toolCall = z.object({
  id: z.string(),
  type: z.literal('function'),
  function: z.object({ name: z.string().min(1), arguments: z.string() }),
});

export const openAiMessageSchema = z.object({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool']),
  content: z.union([z.string(), z.array(z.union([textPart, imagePart])), z.null()]).optional(),
  name: z.string().optional(),
  tool_calls: z.array(toolCall).nullish(),
  tool_call_id: z.string().optional(),
  /** An earlier answer's thinking, as Ollama returns it (`reasoning`). */
  reasoning: z.string().nullish(),
});

const responseFormat = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }),
  z.object({ type: z.literal('json_object') }),
  z.object({
    type: z.literal('json_schema'),
    json_schema: z.object({
      name: z.string(),
      description: z.string().optional(),
      schema: z.record(z.string(), z.unknown()).optional(),
      strict: z.boolean().nullish(),
    }),
  }),
]);

/** Sampling fields take core's bounds (the same on every door); `null` means "not given". */
const option = modelOptionFields;

export const chatCompletionBodySchema = z.object({
  model: z.string().trim().min(1, 'must not be empty'),
  messages: z.array(openAiMessageSchema).min(1, 'must contain at least one message'),
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).nullish(),
  tools: z
    .array(
      z.object({
        type: z.literal('function'),
        function: z.object({
          name: z.string().min(1),
          description: z.string().optional(),
          parameters: z.record(z.string(), z.unknown()).optional(),
          strict: z.boolean().nullish(),
        }),
      }),
    )
    .nullish(),
  tool_choice: z.unknown().optional(),
  response_format: responseFormat.nullish(),
  max_tokens: z.number().int().positive().nullish(),
  max_completion_tokens: z.number().int().positive().nullish(),
  temperature: option.temperature.nullish(),
  top_p: option.top_p.nullish(),
  seed: option.seed.nullish(),
  stop: z.union([z.string(), option.stop]).nullish(),
  presence_penalty: option.presence_penalty.nullish(),
  frequency_penalty: option.frequency_penalty.nullish(),
  n: z.literal(1, 'only n=1 is supported').nullish(),
  user: z.string().optional(),
  /** Thinking: `reasoning_effort` or `reasoning.effort` (the latter wins, as in Ollama). */
  reasoning_effort: reasoningEffortSchema.nullish(),
  reasoning: z.object({ effort: reasoningEffortSchema.nullish() }).nullish(),
});

export const embeddingsBodySchema = z.object({
  model: z.string().trim().min(1, 'must not be empty'),
  input: z.union([
    z.string().min(1, 'must not be empty'),
    z.array(z.string().min(1, 'must not be empty')).min(1, 'must not be empty').max(2048),
  ]),
  dimensions: z.number().int().positive().optional(),
  encoding_format: z.enum(['float', 'base64']).optional(),
  user: z.string().optional(),
});

export type ChatCompletionBody = z.infer<typeof chatCompletionBodySchema>;
export type OpenAiMessage = z.infer<typeof openAiMessageSchema>;

/** POST /v1/completions: one prompt, or a list (LangChain's OpenAI class sends its batch as a
 * list): each prompt is one generation and one choice. Options Ollama cannot honour are
 * refused by name. */
export const completionsBodySchema = z.object({
  model: z.string().trim().min(1, 'must not be empty'),
  prompt: z.union([z.string(), z.array(z.string()).min(1, 'must not be empty').max(64)], {
    error: 'must be a string or a list of strings (token arrays are not supported)',
  }),
  suffix: z.string().nullish(),
  max_tokens: z.number().int().positive().nullish(),
  temperature: option.temperature.nullish(),
  top_p: option.top_p.nullish(),
  seed: option.seed.nullish(),
  stop: z.union([z.string(), option.stop]).nullish(),
  presence_penalty: option.presence_penalty.nullish(),
  frequency_penalty: option.frequency_penalty.nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).nullish(),
  n: z.literal(1, 'only n=1 is supported').nullish(),
  best_of: z.literal(1, 'only best_of=1 is supported').nullish(),
  echo: z.literal(false, 'echo is not supported').nullish(),
  logprobs: z.null('logprobs are not supported').optional(),
  user: z.string().optional(),
});

export type CompletionsBody = z.infer<typeof completionsBodySchema>;
