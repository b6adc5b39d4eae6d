import { type FieldError, GatewayError } from '../../errors.js';
import type { VariableDeclaration } from '../model.js';

/** `fieldName` → `field_name` (the earlier Python gateway's names of the same variables). */
export function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** Variables keyed by their declared names, and how to name each back to the caller. */
export interface SpelledVariables {
  variables: Record<string, unknown>;
  /** The caller's spelling of a declared name: as given, else snake_case when the caller wrote
   * any variable in snake_case, else the declared camelCase. */
  spell(declared: string): string;
}

/**
 * Built-in templates take every variable in camelCase (`fieldName`) or in snake_case
 * (`field_name`, as the seed's callers send it). Names are mapped to the declared ones; a
 * variable given both ways is a BAD_REQUEST naming both. Unknown names pass through untouched
 * (the variable check reports them).
 */
export function fromSnakeCase(
  declarations: readonly VariableDeclaration[],
  given: Record<string, unknown> | undefined,
): SpelledVariables {
  const declared = new Set(declarations.map((d) => d.name));
  const bySnake = new Map(declarations.map((d) => [snakeCase(d.name), d.name]));
  const variables: Record<string, unknown> = {};
  const spelling = new Map<string, string>();
  const twice: FieldError[] = [];
  let snake = false;
  for (const [key, value] of Object.entries(given ?? {})) {
    const name = declared.has(key) ? key : (bySnake.get(key) ?? key);
    if (name !== key) snake = true;
    const other = spelling.get(name);
    if (other !== undefined) {
      twice.push({ path: `variables.${key}`, message: `given twice (also as ${other})` });
      continue;
    }
    spelling.set(name, key);
    variables[name] = value;
  }
  if (twice.length > 0) {
    throw new GatewayError('BAD_REQUEST', twice.map((f) => `${f.path}: ${f.message}`).join('; '), {
      fieldErrors: twice,
    });
  }
  return {
    variables,
    spell: (name) => spelling.get(name) ?? (snake ? snakeCase(name) : name),
  };
}
