import type { RouterInputs, RouterOutputs } from '@intellicore/llm-client';

export type TemplateVersion = RouterOutputs['templates']['get'];
export type Declaration = TemplateVersion['variables'][number];
export type VariableType = Declaration['type'];
export const VARIABLE_TYPES: VariableType[] = [
  'string',
  'number',
  'boolean',
  'enum',
  'array',
  'object',
];

/** One variable row as typed in the editor (defaults and enum values as text). */
export interface VariableRow {
  key: number;
  name: string;
  type: VariableType;
  required: boolean;
  values: string;
  default: string;
  description: string;
}

/** The editor's form state. */
export interface Draft {
  id: string;
  name: string;
  description: string;
  tags: string;
  model: string;
  systemPrompt: string;
  template: string;
  variables: VariableRow[];
  commitMessage: string;
}

let nextKey = 1;
export const newRow = (patch: Partial<VariableRow> = {}): VariableRow => ({
  key: nextKey++,
  name: '',
  type: 'string',
  required: false,
  values: '',
  default: '',
  description: '',
  ...patch,
});

export const emptyDraft = (): Draft => ({
  id: '',
  name: '',
  description: '',
  tags: '',
  model: '',
  systemPrompt: '',
  template: 'Hello <%= it.name %>!',
  variables: [newRow({ name: 'name', required: true })],
  commitMessage: '',
});

export function draftOf(v: TemplateVersion): Draft {
  return {
    id: v.id,
    name: v.name,
    description: v.description,
    tags: v.tags.join(', '),
    model: v.model ?? '',
    systemPrompt: v.systemPrompt ?? '',
    template: v.template,
    variables: v.variables.map((d) =>
      newRow({
        name: d.name,
        type: d.type,
        required: d.required,
        values: (d.values ?? []).join(', '),
        default: d.default === undefined ? '' : textOf(d.default),
        description: d.description ?? '',
      }),
    ),
    commitMessage: '',
  };
}

const list = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

function textOf(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A typed default from its text; text that does not parse is kept (the gateway names it). */
function parseDefault(type: VariableType, text: string): unknown {
  if (text === '') return undefined;
  if (type === 'string' || type === 'enum') return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function declarationsOf(rows: VariableRow[]): Declaration[] {
  return rows
    .filter((r) => r.name.trim())
    .map((r) => {
      const d: Declaration = { name: r.name.trim(), type: r.type, required: r.required };
      if (r.type === 'enum') d.values = list(r.values);
      const def = parseDefault(r.type, r.default);
      if (def !== undefined) d.default = def;
      if (r.description.trim()) d.description = r.description.trim();
      return d;
    });
}

export function createInput(d: Draft): RouterInputs['templates']['create'] {
  return {
    id: d.id.trim(),
    name: d.name.trim() || d.id.trim(),
    description: d.description,
    template: d.template,
    ...(d.systemPrompt ? { systemPrompt: d.systemPrompt } : {}),
    variables: declarationsOf(d.variables),
    ...(d.model.trim() ? { model: d.model.trim() } : {}),
    tags: list(d.tags),
    ...(d.commitMessage.trim() ? { commitMessage: d.commitMessage.trim() } : {}),
  };
}

export function updateInput(d: Draft, baseVersion: number): RouterInputs['templates']['update'] {
  return {
    id: d.id,
    name: d.name.trim() || d.id,
    description: d.description,
    template: d.template,
    systemPrompt: d.systemPrompt || null,
    variables: declarationsOf(d.variables),
    model: d.model.trim() || null,
    tags: list(d.tags),
    ...(d.commitMessage.trim() ? { commitMessage: d.commitMessage.trim() } : {}),
    baseVersion,
  };
}
