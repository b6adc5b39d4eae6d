import { fromSnakeCase } from '../builtins/snake-case.js';
import type { TemplateVersion } from '../model.js';
import type { TemplateEngine } from '../runtime/engine.js';
import { resolveVariables } from '../variables.js';
import type { RenderedTemplate } from './inputs.js';

/**
 * Renders one version: variables checked against its declarations, then the (cached) compiled
 * templates run within the render limits. Built-ins and custom templates take the same path;
 * built-ins also take their variables in snake_case (see builtins/snake-case.ts).
 */
export function renderVersion(
  engine: TemplateEngine,
  template: TemplateVersion,
  variables: Record<string, unknown> | undefined,
): RenderedTemplate {
  let data: Record<string, unknown>;
  if (template.builtIn) {
    const spelled = fromSnakeCase(template.variables, variables);
    data = resolveVariables(template.variables, spelled.variables, spelled.spell);
  } else {
    data = resolveVariables(template.variables, variables);
  }
  const key = `${template.builtIn ? 'builtin:' : ''}${template.id}@${template.version}`;
  const prompt = engine.render(key, template.template, data, 'template');
  const rendered: RenderedTemplate = {
    prompt,
    options: { ...(template.options ?? {}) },
    output: template.output,
    templateId: template.id,
    version: template.version,
  };
  if (template.systemPrompt !== undefined) {
    rendered.systemPrompt = engine.render(key, template.systemPrompt, data, 'systemPrompt');
  }
  if (template.model !== undefined) rendered.model = template.model;
  return rendered;
}
