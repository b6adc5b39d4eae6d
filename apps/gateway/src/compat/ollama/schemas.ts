import { modelOptionsSchema } from '@intellicore/llm-core';
import { z } from 'zod';

/** Ollama request bodies (snake_case, as Ollama takes them). Unknown fields are ignored. */

const toolCall = z.object({
  function: z.object({
    index: z.number().int().optional(),
    name: z.string().min(1),
    arguments: z.record(z.string(), z.unknown()),
  }),
});

const message = z.object({
  role: z.enum(['system', 'user', 'assistant', 'tool']),
  content: z.string().default(''),
  images: z.array(z.string()).nullish(),
  tool_calls: z.array(toolCall).nullish(),
  tool_name: z.string().optional(),
  thinking: z.string().optional(),
});

const format = z.union([z.literal('json'), z.literal(''), z.record(z.string(), z.unknown())]);
/** Core's one options schema: the same bounds as every other door (unknown options pass). */
const options = modelOptionsSchema;
const keepAlive = z.union([z.number(), z.string()]);
const think = z.union([z.boolean(), z.enum(['low', 'medium', 'high'])]);
const model = z.string({ error: 'model is required' }).trim().min(1, 'model is required');

const common = {
  model,
  format: format.nullish(),
  options: options.nullish(),
  keep_alive: keepAlive.nullish(),
  think: think.nullish(),
  stream: z.boolean().nullish(),
};

export const chatBodySchema = z.object({
  ...common,
  messages: z.array(message).default([]),
  tools: z
    .array(
      z.object({
        type: z.literal('function'),
        function: z.object({
          name: z.string().min(1),
          description: z.string().optional(),
          parameters: z.record(z.string(), z.unknown()).optional(),
        }),
      }),
    )
    .nullish(),
});

export const generateBodySchema = z.object({
  ...common,
  prompt: z.string().default(''),
  suffix: z.string().optional(),
  system: z.string().optional(),
  template: z.string().optional(),
  raw: z.boolean().optional(),
  images: z.array(z.string()).nullish(),
  context: z.array(z.number()).nullish(),
});

export const embedBodySchema = z.object({
  model,
  input: z.union([z.string(), z.array(z.string()).min(1, 'must not be empty')]),
  truncate: z.boolean().optional(),
  dimensions: z.number().int().positive().optional(),
  keep_alive: keepAlive.nullish(),
  options: options.nullish(),
});

export const legacyEmbeddingsBodySchema = z.object({
  model,
  prompt: z.string(),
  keep_alive: keepAlive.nullish(),
  options: options.nullish(),
});

/** show / pull / delete take `model`, or the legacy `name` (the JS client sends `name`). */
export const modelRefBodySchema = z
  .object({
    model: z.string().optional(),
    name: z.string().optional(),
    stream: z.boolean().nullish(),
    insecure: z.boolean().optional(),
    verbose: z.boolean().optional(),
  })
  .transform((b, ctx) => {
    const name = (b.model || b.name || '').trim();
    if (!name) {
      ctx.addIssue({ code: 'custom', path: ['model'], message: 'model is required' });
      return z.NEVER;
    }
    return { name, stream: b.stream };
  });

export type ChatBody = z.infer<typeof chatBodySchema>;
export type GenerateBody = z.infer<typeof generateBodySchema>;
