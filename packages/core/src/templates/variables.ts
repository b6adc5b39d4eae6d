import { type FieldError, GatewayError } from '../errors.js';
import type { VariableDeclaration } from './model.js';

/**
 * Checks render variables against a template's declarations and returns fresh, plain data:
 * every missing required variable in ONE MISSING_VARIABLES error; wrong types, enum values,
 * over-long values and undeclared names in one BAD_REQUEST with a field error each; defaults
 * applied. Values are deep-copied through JSON so a template only ever sees plain data (no
 * getters, no prototypes of the caller's objects, no cycles).
 */
export function resolveVariables(
  declarations: readonly VariableDeclaration[],
  given: Record<string, unknown> | undefined,
  /** How errors name a declared variable (built-ins: as the caller spelled it). */
  spell: (declared: string) => string = (name) => name,
): Record<string, unknown> {
  const input = given ?? {};
  const declared = new Map(declarations.map((d) => [d.name, d]));
  const missing: FieldError[] = [];
  const invalid: FieldError[] = [];
  const data: Record<string, unknown> = {};

  for (const name of Object.keys(input)) {
    if (!declared.has(name)) {
      invalid.push({
        path: `variables.${name}`,
        message: 'unknown variable (not declared by the template)',
      });
    }
  }
  for (const decl of declarations) {
    const raw = Object.hasOwn(input, decl.name) ? input[decl.name] : undefined;
    const value = raw === undefined || raw === null ? decl.default : raw;
    const path = `variables.${spell(decl.name)}`;
    if (value === undefined || value === null) {
      if (decl.required) missing.push({ path, message: 'required' });
      continue;
    }
    const problem = typeProblem(decl, value);
    if (problem) {
      invalid.push({ path, message: problem });
      continue;
    }
    const copy = plainCopy(value);
    if (copy === undefined) invalid.push({ path, message: 'must be plain JSON data' });
    else data[decl.name] = copy;
  }

  if (missing.length > 0) {
    const names = missing.map((m) => m.path.slice('variables.'.length)).join(', ');
    throw new GatewayError('MISSING_VARIABLES', `Missing required variables: ${names}`, {
      fieldErrors: missing,
      details: { missing: missing.map((m) => m.path.slice('variables.'.length)) },
    });
  }
  if (invalid.length > 0) {
    const text = invalid.map((f) => `${f.path}: ${f.message}`).join('; ');
    throw new GatewayError('BAD_REQUEST', text, { fieldErrors: invalid });
  }
  return data;
}

export function typeProblem(decl: VariableDeclaration, value: unknown): string | undefined {
  switch (decl.type) {
    case 'string':
      if (typeof value !== 'string') return `must be a string, got ${kindOf(value)}`;
      if (decl.maxLength !== undefined && value.length > decl.maxLength) {
        return `must be at most ${decl.maxLength} characters (got ${value.length})`;
      }
      return undefined;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value)
        ? undefined
        : `must be a finite number, got ${kindOf(value)}`;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `must be a boolean, got ${kindOf(value)}`;
    case 'enum':
      if (typeof value !== 'string')
        return `must be one of ${decl.values?.join(', ')}, got ${kindOf(value)}`;
      return decl.values?.includes(value) ? undefined : `must be one of ${decl.values?.join(', ')}`;
    case 'array':
      if (!Array.isArray(value)) return `must be an array, got ${kindOf(value)}`;
      if (decl.maxLength !== undefined && value.length > decl.maxLength) {
        return `must have at most ${decl.maxLength} items (got ${value.length})`;
      }
      return undefined;
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value)
        ? undefined
        : `must be an object, got ${kindOf(value)}`;
  }
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function plainCopy(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  try {
    return JSON.parse(JSON.stringify(value)) as unknown;
  } catch {
    return undefined;
  }
}
