import { badRequest, type FieldError, GatewayError } from '../errors.js';
import type { TemplateDefinition } from './model.js';
import { schemaProblems } from './output/json-schema.js';
import type { TemplateEngine } from './runtime/engine.js';
import { typeProblem } from './variables.js';

/**
 * Everything checked before a definition is stored: both templates pass the safety checker,
 * every `it.name` they read is declared, defaults fit their declared type, and an output
 * schema uses only the JSON Schema subset the reply validator understands.
 */
export function checkDefinition(engine: TemplateEngine, definition: TemplateDefinition): void {
  const declared = new Set(definition.variables.map((v) => v.name));
  const problems: FieldError[] = [];
  const fields: [string, string | undefined][] = [
    ['template', definition.template],
    ['systemPrompt', definition.systemPrompt],
  ];
  for (const [field, source] of fields) {
    if (source === undefined) continue;
    const checked = engine.check(source, field);
    for (const [name, at] of checked.references) {
      if (!declared.has(name)) {
        problems.push({
          path: field,
          message: `line ${at.line}, column ${at.column}: it.${name} is not a declared variable`,
        });
      }
    }
  }
  if (definition.output !== 'text') {
    for (const p of schemaProblems(definition.output.jsonSchema))
      problems.push({ path: 'output.jsonSchema', message: p });
  }
  if (problems.length > 0) {
    throw new GatewayError(
      'TEMPLATE_INVALID',
      problems.map((p) => `${p.path}: ${p.message}`).join('; '),
      {
        fieldErrors: problems,
      },
    );
  }
  const badDefaults: FieldError[] = [];
  definition.variables.forEach((v, i) => {
    if (v.default === undefined) return;
    const problem = typeProblem(v, v.default);
    if (problem) badDefaults.push({ path: `variables.${i}.default`, message: problem });
  });
  if (badDefaults.length > 0) throw badRequest(badDefaults);
}
