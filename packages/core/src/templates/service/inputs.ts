import { z } from 'zod';
import { modelOptionsSchema } from '../../policy/model-options.js';
import { depthExceeds, MAX_NESTING } from '../../service/request-shape.js';
import type { ChatDelta, ChatResult } from '../../types.js';
import { labelSchema, type OutputSpec, templateIdSchema } from '../model.js';

/** Inputs and results of the template service; the zod schemas double as tRPC inputs. */

/** Caller-supplied JSON: nested at most MAX_NESTING levels (rendering and prompts walk it). */
const shallow = <S extends z.ZodType>(schema: S) =>
  schema.refine((v) => !depthExceeds(v, MAX_NESTING), {
    message: `is nested more than ${MAX_NESTING} levels deep`,
  });

const variablesSchema = shallow(z.record(z.string(), z.unknown())).default({});

export const renderTemplateInputSchema = z.object({
  id: templateIdSchema,
  variables: variablesSchema,
  version: z.number().int().positive().optional(),
  label: labelSchema.optional(),
});
export type RenderTemplateInput = z.input<typeof renderTemplateInputSchema>;

export interface RenderedTemplate {
  prompt: string;
  /** Rendered system prompt; absent when the template has none. */
  systemPrompt?: string;
  model?: string;
  options: Record<string, unknown>;
  output: OutputSpec;
  templateId: string;
  version: number;
}

export const renderAndChatInputSchema = renderTemplateInputSchema.extend({
  /** Overrides the template's model (the gateway's allow-list still applies). */
  model: z.string().min(1).max(200).optional(),
  /** Merged over the template's options. */
  options: modelOptionsSchema.optional(),
  keepAlive: z.union([z.number(), z.string()]).optional(),
  /** Thinking, as Ollama's `think`: on/off, or a level for models that take one. */
  think: z.union([z.boolean(), z.enum(['low', 'medium', 'high'])]).optional(),
});
export type RenderAndChatInput = z.input<typeof renderAndChatInputSchema>;

export interface RenderAndChatResult {
  templateId: string;
  version: number;
  /** The assistant's text (the raw JSON for structured templates). */
  content: string;
  /** Parsed and schema-valid reply, for templates with an output schema. */
  data?: unknown;
  /** True when the first structured reply was invalid and the repair attempt fixed it. */
  repaired: boolean;
  result: ChatResult;
}

export type RenderAndChatStreamEvent =
  | { type: 'delta'; delta: ChatDelta }
  | {
      type: 'done';
      templateId: string;
      version: number;
      content: string;
      data?: unknown;
      repaired: boolean;
      result: ChatResult;
    };

export const validateFieldInputSchema = z.object({
  fieldName: z.string().min(1).max(200),
  /** Any JSON value; non-strings are shown to the model as JSON. */
  value: shallow(z.unknown()),
  fieldType: z.string().min(1).max(100).optional(),
  objectType: z.string().min(1).max(200).optional(),
  rules: z.array(z.string().min(1).max(1000)).max(50).optional(),
  /** Other fields of the record (object) or notes (string). */
  context: z.union([z.string().max(8000), shallow(z.record(z.string(), z.unknown()))]).optional(),
  model: z.string().min(1).max(200).optional(),
});
export type ValidateFieldInput = z.input<typeof validateFieldInputSchema>;

export interface FieldValidationResult {
  valid: boolean;
  reason: string;
  suggestedValue?: string;
}

export const suggestFieldsInputSchema = z.object({
  objectType: z.string().min(1).max(200),
  description: z.string().max(4000).optional(),
  domain: z.string().max(200).optional(),
  existingFields: z.array(z.string().min(1).max(200)).max(200).optional(),
  maxFields: z.number().int().min(1).max(50).optional(),
  model: z.string().min(1).max(200).optional(),
});
export type SuggestFieldsInput = z.input<typeof suggestFieldsInputSchema>;

export interface SuggestedField {
  name: string;
  type: string;
  required: boolean;
  description: string;
}

export interface SuggestFieldsResult {
  fields: SuggestedField[];
}
