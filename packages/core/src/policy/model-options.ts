import { z } from 'zod';

/**
 * THE model-options schema: one set of bounds for every door (tRPC, `/v1`, `/api`) and for
 * templates. Names are Ollama's, every option Ollama reads is typed (Ollama answers a known
 * option of the wrong type with a 500); others pass through untouched (Ollama ignores them). The bounds are those of the widest-used API that names
 * the option (OpenAI's for temperature and the penalties), so a request valid on one door is
 * valid on every door. What a key may *cost* (num_ctx, num_predict, keep_alive) is a separate,
 * per-caller rule: see `service/request-caps.ts`.
 */
export const modelOptionFields = {
  temperature: z.number().min(0).max(2),
  top_p: z.number().min(0).max(1),
  top_k: z.number().int().min(0),
  min_p: z.number().min(0).max(1),
  seed: z.number().int(),
  /** Context window in tokens. */
  num_ctx: z.number().int().min(1),
  /** Tokens to generate at most; -1 = no limit, -2 = until the context is full (Ollama). */
  num_predict: z.number().int().min(-2),
  stop: z.array(z.string()).max(16),
  repeat_penalty: z.number().min(0),
  repeat_last_n: z.number().int().min(-1),
  presence_penalty: z.number().min(-2).max(2),
  frequency_penalty: z.number().min(-2).max(2),
  typical_p: z.number().min(0).max(1),
  num_keep: z.number().int().min(-1),
  // Load options (Ollama reloads the model when they change): admin keys only, see
  // request-caps.ts. Typed here so a wrong type is a 400, not Ollama's 500.
  num_batch: z.number().int().min(1),
  num_gpu: z.number().int().min(-1),
  main_gpu: z.number().int().min(0),
  num_thread: z.number().int().min(0),
  use_mmap: z.boolean(),
  use_mlock: z.boolean(),
  numa: z.boolean(),
  low_vram: z.boolean(),
} as const;

type Fields = typeof modelOptionFields;

/** Ollama model options by Ollama's names, bounded; unknown options pass through. */
export const modelOptionsSchema = z.looseObject(
  Object.fromEntries(
    Object.entries(modelOptionFields).map(([name, schema]) => [name, schema.optional()]),
  ) as { [K in keyof Fields]: z.ZodOptional<Fields[K]> },
);

export type ModelOptionsInput = z.input<typeof modelOptionsSchema>;
