import { z } from 'zod';
import { modelOptionsSchema } from '../policy/model-options.js';
import type { ModelOptions } from '../types.js';

/**
 * The prompt-template model. A template id names a line of immutable versions (Langfuse-style);
 * labels are movable pointers to versions. `latest` is reserved and always points at the newest
 * version; `production`, `staging` and custom labels are moved by `setLabel`.
 */

export const TEMPLATE_ID_PATTERN = /^[a-z0-9]+(?:[-_][a-z0-9]+)*$/;
export const LABEL_PATTERN = /^[a-z0-9_\-.]+$/;
export const LATEST_LABEL = 'latest';
export const VARIABLE_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

export const VARIABLE_TYPES = ['string', 'number', 'boolean', 'array', 'object', 'enum'] as const;
export type VariableType = (typeof VARIABLE_TYPES)[number];

export const templateIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(TEMPLATE_ID_PATTERN, 'must be a lowercase slug (a-z, 0-9, single - or _ between)');

export const labelSchema = z
  .string()
  .min(1)
  .max(36)
  .regex(LABEL_PATTERN, 'label names match ^[a-z0-9_\\-.]+$');

export const variableDeclarationSchema = z
  .object({
    name: z.string().regex(VARIABLE_NAME_PATTERN, 'must be an identifier (letters, digits, _)'),
    type: z.enum(VARIABLE_TYPES),
    /** Allowed values of an `enum` variable. */
    values: z.array(z.string().max(200)).min(1).max(100).optional(),
    required: z.boolean().default(false),
    default: z.unknown().optional(),
    description: z.string().max(1000).optional(),
    /** Characters for strings, items for arrays. */
    maxLength: z.number().int().positive().max(1_000_000).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.type === 'enum' && !v.values) {
      ctx.addIssue({ code: 'custom', path: ['values'], message: 'an enum variable needs values' });
    }
    if (v.type !== 'enum' && v.values) {
      ctx.addIssue({
        code: 'custom',
        path: ['values'],
        message: 'only enum variables take values',
      });
    }
  });

export type VariableDeclaration = z.output<typeof variableDeclarationSchema>;

export const outputSpecSchema = z.union([
  z.literal('text'),
  z.object({ jsonSchema: z.record(z.string(), z.unknown()) }),
]);
export type OutputSpec = 'text' | { jsonSchema: Record<string, unknown> };

const definitionShape = {
  name: z.string().min(1).max(200),
  description: z.string().max(2000).default(''),
  /** The eta template of the user prompt. */
  template: z.string().min(1).max(100_000),
  /** Also an eta template, rendered with the same variables. */
  systemPrompt: z.string().max(100_000).optional(),
  variables: z.array(variableDeclarationSchema).max(100).default([]),
  model: z.string().min(1).max(200).optional(),
  options: modelOptionsSchema.optional(),
  output: outputSpecSchema.default('text'),
  tags: z.array(z.string().min(1).max(64)).max(32).default([]),
};

export const templateDefinitionSchema = z.object(definitionShape).superRefine((d, ctx) => {
  const seen = new Set<string>();
  d.variables.forEach((v, i) => {
    if (seen.has(v.name)) {
      ctx.addIssue({ code: 'custom', path: ['variables', i, 'name'], message: 'duplicate name' });
    }
    seen.add(v.name);
  });
});

/** What one version holds (besides its metadata). */
export interface TemplateDefinition {
  name: string;
  description: string;
  template: string;
  systemPrompt?: string;
  variables: VariableDeclaration[];
  model?: string;
  options?: ModelOptions;
  output: OutputSpec;
  tags: string[];
}

export const createTemplateInputSchema = z.object({
  id: templateIdSchema,
  ...definitionShape,
  commitMessage: z.string().max(500).optional(),
  /** Labels to point at the first version besides `latest` (e.g. `production`). */
  labels: z.array(labelSchema).max(16).optional(),
});
export type CreateTemplateInput = z.input<typeof createTemplateInputSchema>;

/** A new version: the fields given replace those of the current latest version. */
export const updateTemplateInputSchema = z.object({
  id: templateIdSchema,
  name: definitionShape.name.optional(),
  description: z.string().max(2000).optional(),
  template: definitionShape.template.optional(),
  systemPrompt: definitionShape.systemPrompt.nullable(),
  variables: z.array(variableDeclarationSchema).max(100).optional(),
  model: definitionShape.model.nullable(),
  options: modelOptionsSchema.nullable().optional(),
  output: outputSpecSchema.optional(),
  tags: z.array(z.string().min(1).max(64)).max(32).optional(),
  commitMessage: z.string().max(500).optional(),
  labels: z.array(labelSchema).max(16).optional(),
  /** Optimistic concurrency: fail unless the latest version is still this one. */
  baseVersion: z.number().int().positive().optional(),
});
export type UpdateTemplateInput = z.input<typeof updateTemplateInputSchema>;

export const templateRefSchema = z.object({
  id: templateIdSchema,
  version: z.number().int().positive().optional(),
  label: labelSchema.optional(),
});
/** Which version: exactly one of `version` / `label`, or neither for `latest`. */
export type TemplateRef = z.infer<typeof templateRefSchema>;

export const setLabelInputSchema = z.object({
  id: templateIdSchema,
  version: z.number().int().positive(),
  label: labelSchema,
});
export type SetLabelInput = z.infer<typeof setLabelInputSchema>;

export const listTemplatesInputSchema = z.object({
  tag: z.string().min(1).max(64).optional(),
  search: z.string().min(1).max(200).optional(),
  cursor: z.string().max(500).optional(),
  limit: z.number().int().min(1).max(200).optional(),
});
export type ListTemplatesInput = z.infer<typeof listTemplatesInputSchema>;

/** One immutable version, as read back. */
export interface TemplateVersion extends TemplateDefinition {
  id: string;
  version: number;
  createdAt: string;
  /** API key id of the writer; null for anonymous callers and built-ins. */
  createdBy: string | null;
  commitMessage: string | null;
  /** Labels that point at this version right now. */
  labels: string[];
  builtIn: boolean;
}

/** A row of `list`: the latest version's face plus every label pointer. */
export interface TemplateSummary {
  id: string;
  name: string;
  description: string;
  tags: string[];
  model?: string;
  latestVersion: number;
  labels: Record<string, number>;
  updatedAt: string;
  builtIn: boolean;
}

export interface TemplatePage {
  items: TemplateSummary[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** Metadata of a version in the history (no body). */
export interface TemplateVersionInfo {
  version: number;
  createdAt: string;
  createdBy: string | null;
  commitMessage: string | null;
  labels: string[];
}
