import { z } from 'zod';
import { modelNameSchema } from './common.js';

export const modelNameInputSchema = z.object({
  name: modelNameSchema.describe('Model name as Ollama knows it (`llama3.2` ≡ `llama3.2:latest`).'),
});

export const modelDetailsSchema = z.object({
  parentModel: z.string().optional(),
  format: z.string().optional(),
  family: z.string().optional().describe('Architecture family, e.g. `llama`, `nomic-bert`.'),
  families: z.array(z.string()).optional(),
  parameterSize: z.string().optional().describe('Parameter count as a label, e.g. `3.2B`.'),
  quantizationLevel: z.string().optional().describe('Weight quantization, e.g. `Q4_K_M`.'),
});

const modelInfo = {
  name: z.string().describe('Full name with tag, e.g. `llama3.2:latest`.'),
  model: z.string(),
  modifiedAt: z.string().optional(),
  size: z.number().optional().describe('Size on disk in bytes.'),
  digest: z.string().optional(),
  details: modelDetailsSchema,
};

export const catalogueModelSchema = z.object({
  ...modelInfo,
  /** Upstream ids that have this model. */
  upstreams: z.array(z.string()).describe('Upstream ids that have this model.'),
  /** Upstream ids that have it loaded right now. */
  loadedOn: z.array(z.string()).describe('Upstream ids that have it loaded in memory right now.'),
});

export const runningModelSchema = z.object({
  ...modelInfo,
  expiresAt: z.string().optional().describe('When it will be unloaded if unused.'),
  sizeVram: z.number().optional().describe('Bytes of GPU memory it uses.'),
  contextLength: z.number().optional(),
  upstream: z.string().describe('The upstream that has it loaded.'),
});

export const modelShowSchema = z.object({
  name: z.string(),
  license: z.string().optional(),
  modelfile: z.string().optional(),
  parameters: z.string().optional(),
  template: z.string().optional(),
  details: modelDetailsSchema,
  modelInfo: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('GGUF metadata: architecture, context and embedding length, …'),
  capabilities: z
    .array(z.string())
    .optional()
    .describe(
      'What it can do, as Ollama says: `completion`, `embedding`, `tools`, `thinking`, `vision`.',
    ),
  modifiedAt: z.string().optional(),
});

export const allowedModelsSchema = z.object({
  /** Exact names allowed (`name` ≡ `name:latest`); null means every model is allowed. */
  models: z
    .array(z.string())
    .nullable()
    .describe('Exact names allowed (`name` ≡ `name:latest`); null means every model is allowed.'),
  aliases: z.record(z.string(), z.string()).describe('Alias → model name.'),
  defaultChatModel: z.string().describe('Used for chat and generate when `model` is absent.'),
  defaultEmbeddingModel: z.string().describe('Used for embeddings when `model` is absent.'),
});

/** One event of `models.pull`: Ollama's progress, plus `percent` when total is known. */
export const pullProgressSchema = z.object({
  status: z.string().describe("Ollama's status line, e.g. `pulling manifest`, `success`."),
  digest: z.string().optional().describe('The layer being downloaded.'),
  total: z.number().optional().describe('Bytes of this layer.'),
  completed: z.number().optional().describe('Bytes downloaded so far.'),
  percent: z.number().optional().describe('completed / total × 100, when total is known.'),
});

export const deleteOutputSchema = z.object({ name: z.string(), deleted: z.literal(true) });

export type CatalogueModelOutput = z.infer<typeof catalogueModelSchema>;
export type PullProgressOutput = z.infer<typeof pullProgressSchema>;
