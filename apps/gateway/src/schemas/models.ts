import { z } from 'zod';
import { modelNameSchema } from './common.js';

export const modelNameInputSchema = z.object({ name: modelNameSchema });

export const modelDetailsSchema = z.object({
  parentModel: z.string().optional(),
  format: z.string().optional(),
  family: z.string().optional(),
  families: z.array(z.string()).optional(),
  parameterSize: z.string().optional(),
  quantizationLevel: z.string().optional(),
});

const modelInfo = {
  name: z.string(),
  model: z.string(),
  modifiedAt: z.string().optional(),
  size: z.number().optional(),
  digest: z.string().optional(),
  details: modelDetailsSchema,
};

export const catalogueModelSchema = z.object({
  ...modelInfo,
  /** Upstream ids that have this model. */
  upstreams: z.array(z.string()),
  /** Upstream ids that have it loaded right now. */
  loadedOn: z.array(z.string()),
});

export const runningModelSchema = z.object({
  ...modelInfo,
  expiresAt: z.string().optional(),
  sizeVram: z.number().optional(),
  contextLength: z.number().optional(),
  upstream: z.string(),
});

export const modelShowSchema = z.object({
  name: z.string(),
  license: z.string().optional(),
  modelfile: z.string().optional(),
  parameters: z.string().optional(),
  template: z.string().optional(),
  details: modelDetailsSchema,
  modelInfo: z.record(z.string(), z.unknown()).optional(),
  capabilities: z.array(z.string()).optional(),
  modifiedAt: z.string().optional(),
});

export const allowedModelsSchema = z.object({
  /** Exact names allowed (`name` ≡ `name:latest`); null means every model is allowed. */
  models: z.array(z.string()).nullable(),
  aliases: z.record(z.string(), z.string()),
  defaultChatModel: z.string(),
  defaultEmbeddingModel: z.string(),
});

/** One event of `models.pull`: Ollama's progress, plus `percent` when total is known. */
export const pullProgressSchema = z.object({
  status: z.string(),
  digest: z.string().optional(),
  total: z.number().optional(),
  completed: z.number().optional(),
  percent: z.number().optional(),
});

export const deleteOutputSchema = z.object({ name: z.string(), deleted: z.literal(true) });

export type CatalogueModelOutput = z.infer<typeof catalogueModelSchema>;
export type PullProgressOutput = z.infer<typeof pullProgressSchema>;
