import type { TemplateVersion } from '../model.js';
import type { TemplateEngine } from '../runtime/engine.js';
import { resolveVariables } from '../variables.js';
import type { RenderedTemplate } from './inputs.js';

/**
 * Renders one version: variables checked against its declarations, then the (cached) compiled
 * templates run within the render limits. Built-ins and custom templates take the same path.
 */
export function renderVersion(
  engine: TemplateEngine,
  template: TemplateVersion,
  variables: Record<string, unknown> | undefined,
): RenderedTemplate {
  const data = resolveVariables(template.variables, variables);
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
