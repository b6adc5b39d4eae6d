import { z } from 'zod';
import { chatCompletionOutputSchema } from './chat.js';
import { modelOptionsSchema, toolCallSchema } from './common.js';

/** Outputs of the `templates` router (inputs are core's own zod schemas). Plain zod only. */

const outputSpecSchema = z.union([
  z.literal('text'),
  z.object({ jsonSchema: z.record(z.string(), z.unknown()) }),
]);

export const variableDeclarationSchema = z.object({
  name: z.string(),
  type: z.enum(['string', 'number', 'boolean', 'array', 'object', 'enum']),
  values: z.array(z.string()).optional(),
  required: z.boolean(),
  default: z.unknown().optional(),
  description: z.string().optional(),
  maxLength: z.number().optional(),
});

export const templateVersionSchema = z.object({
  id: z.string(),
  version: z.number(),
  name: z.string(),
  description: z.string(),
  template: z.string(),
  systemPrompt: z.string().optional(),
  variables: z.array(variableDeclarationSchema),
  model: z.string().optional(),
  options: modelOptionsSchema.optional(),
  output: outputSpecSchema,
  tags: z.array(z.string()),
  createdAt: z.string(),
  /** API key id of the writer; null for anonymous callers and built-ins. */
  createdBy: z
    .string()
    .nullable()
    .describe('API key id of the writer; null for anonymous callers and built-ins.'),
  commitMessage: z.string().nullable(),
  /** Labels pointing at this version right now. */
  labels: z.array(z.string()).describe('Labels pointing at this version right now.'),
  builtIn: z.boolean().describe('Built-in templates are read-only.'),
});

export const templateSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  tags: z.array(z.string()),
  model: z.string().optional(),
  latestVersion: z.number(),
  labels: z.record(z.string(), z.number()),
  updatedAt: z.string(),
  builtIn: z.boolean(),
});

export const templatePageSchema = z.object({
  items: z.array(templateSummarySchema),
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: z
    .string()
    .nullable()
    .describe('Pass back as `cursor` for the next page; null on the last page.'),
});

export const templateVersionInfoSchema = z.object({
  version: z.number(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
  commitMessage: z.string().nullable(),
  labels: z.array(z.string()),
});

export const templateDeleteOutputSchema = z.object({ id: z.string(), deleted: z.literal(true) });

export const renderedTemplateSchema = z.object({
  prompt: z.string().describe('The rendered user prompt.'),
  systemPrompt: z
    .string()
    .optional()
    .describe('The rendered system prompt, if the template has one.'),
  model: z.string().optional().describe("The template's model, if it names one."),
  options: z.record(z.string(), z.unknown()).describe("The template's model options."),
  output: outputSpecSchema,
  templateId: z.string(),
  version: z.number(),
});

const renderAndChatFields = {
  templateId: z.string(),
  version: z.number(),
  /** The assistant's text (raw JSON for structured templates). */
  content: z.string().describe("The assistant's text (raw JSON for structured templates)."),
  /** Parsed, schema-valid reply of a structured template. */
  data: z.unknown().optional().describe('Parsed, schema-valid reply of a structured template.'),
  /** True when the first structured reply was invalid and one repair attempt fixed it. */
  repaired: z
    .boolean()
    .describe('True when the first structured reply was invalid and one repair attempt fixed it.'),
  result: chatCompletionOutputSchema,
};

export const renderAndChatOutputSchema = z.object(renderAndChatFields);

export const renderAndChatStreamEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('delta'),
    content: z.string(),
    thinking: z.string().optional(),
    toolCalls: z.array(toolCallSchema).optional(),
  }),
  z.object({ type: z.literal('done'), ...renderAndChatFields }),
]);

export const fieldValidationOutputSchema = z.object({
  valid: z.boolean(),
  reason: z.string().describe('Why the value is (in)valid, in one sentence.'),
  suggestedValue: z.string().optional().describe('A corrected value, when the model has one.'),
});

export const suggestFieldsOutputSchema = z.object({
  fields: z.array(
    z.object({
      name: z.string(),
      type: z.string(),
      required: z.boolean(),
      description: z.string(),
    }),
  ),
});

export type RenderAndChatOutput = z.infer<typeof renderAndChatOutputSchema>;
export type RenderAndChatStreamEventOutput = z.infer<typeof renderAndChatStreamEventSchema>;
