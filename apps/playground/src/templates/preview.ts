// The gateway's own safe-template checker and renderer, run in the browser: the gateway has no
// procedure that checks or renders unsaved text, and running core's code here (pure: eta, acorn,
// zod) gives a preview that fails exactly where a save would, without a round trip per keystroke.
// Core exports no browser entry, hence the direct source imports.
import { checkDefinition } from '../../../../packages/core/src/templates/definition.js';
import type { VariableDeclaration } from '../../../../packages/core/src/templates/model.js';
import { TemplateEngine } from '../../../../packages/core/src/templates/runtime/engine.js';
import { resolveVariables } from '../../../../packages/core/src/templates/variables.js';

export interface PreviewProblem {
  field: string;
  line?: number;
  column?: number;
  message: string;
}

export interface Preview {
  prompt?: string;
  systemPrompt?: string;
  problems: PreviewProblem[];
}

export interface PreviewInput {
  template: string;
  systemPrompt: string;
  variables: VariableDeclaration[];
}

const engine = new TemplateEngine();

/** Sample values so a template can be previewed before any variable is filled in. */
export function sampleValue(v: VariableDeclaration): unknown {
  if (v.default !== undefined) return v.default;
  switch (v.type) {
    case 'string':
      return `‹${v.name}›`;
    case 'number':
      return 1;
    case 'boolean':
      return true;
    case 'enum':
      return v.values?.[0];
    case 'array':
      return [];
    case 'object':
      return {};
  }
}

export function previewTemplate(input: PreviewInput, values?: Record<string, unknown>): Preview {
  const systemPrompt = input.systemPrompt || undefined;
  try {
    checkDefinition(engine, {
      name: 'preview',
      description: '',
      template: input.template,
      ...(systemPrompt ? { systemPrompt } : {}),
      variables: input.variables,
      output: 'text',
      tags: [],
    });
    const data = resolveVariables(
      input.variables,
      values ?? Object.fromEntries(input.variables.map((v) => [v.name, sampleValue(v)])),
    );
    return {
      prompt: engine.render('preview', input.template, data, 'template'),
      ...(systemPrompt
        ? { systemPrompt: engine.render('preview', systemPrompt, data, 'systemPrompt') }
        : {}),
      problems: [],
    };
  } catch (error) {
    return { problems: problemsOf(error) };
  }
}

interface ErrorLike {
  message?: string;
  fieldErrors?: { path: string; message: string }[];
  details?: { violations?: { field: string; line: number; column: number; message: string }[] };
}

/** Line/column of checker violations; other field errors as they come. */
export function problemsOf(error: unknown): PreviewProblem[] {
  const e = (error ?? {}) as ErrorLike;
  if (e.details?.violations?.length) {
    return e.details.violations.map((v) => ({
      field: v.field,
      line: v.line,
      column: v.column,
      message: v.message,
    }));
  }
  if (e.fieldErrors?.length) {
    return e.fieldErrors.map((f) => {
      const at = /^line (\d+), column (\d+): (.*)$/.exec(f.message);
      return at
        ? { field: f.path, line: Number(at[1]), column: Number(at[2]), message: at[3] ?? '' }
        : { field: f.path, message: f.message };
    });
  }
  return [{ field: 'template', message: e.message ?? String(error) }];
}
