/**
 * A small JSON Schema validator for the subset structured outputs use (what Ollama's `format`
 * turns into a grammar): type (one or a list), properties, required, additionalProperties,
 * items, enum, const, minimum/maximum, minLength/maxLength, minItems/maxItems. Annotations
 * (title, description, default, examples, format, $schema) are accepted and ignored. Any other
 * keyword is refused when a template is saved, so a schema never silently validates less than
 * it says.
 */

export type JsonSchema = Record<string, unknown>;

const VALIDATED = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'enum',
  'const',
  'minimum',
  'maximum',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
]);
const ANNOTATIONS = new Set(['title', 'description', 'default', 'examples', 'format', '$schema']);
const TYPES = new Set(['object', 'array', 'string', 'number', 'integer', 'boolean', 'null']);

/** Problems with the schema itself (unsupported keywords, bad types), as `path: message`. */
export function schemaProblems(schema: unknown, path = '$'): string[] {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) {
    return [`${path}: a schema must be an object`];
  }
  const problems: string[] = [];
  const s = schema as JsonSchema;
  for (const key of Object.keys(s)) {
    if (!VALIDATED.has(key) && !ANNOTATIONS.has(key))
      problems.push(`${path}: keyword "${key}" is not supported`);
  }
  const types = s.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type];
  for (const t of types)
    if (typeof t !== 'string' || !TYPES.has(t)) problems.push(`${path}: unknown type ${String(t)}`);
  if (s.properties !== undefined) {
    if (typeof s.properties !== 'object' || s.properties === null)
      problems.push(`${path}.properties: must be an object`);
    else
      for (const [k, sub] of Object.entries(s.properties))
        problems.push(...schemaProblems(sub, `${path}.properties.${k}`));
  }
  if (s.items !== undefined) problems.push(...schemaProblems(s.items, `${path}.items`));
  if (typeof s.additionalProperties === 'object')
    problems.push(...schemaProblems(s.additionalProperties, `${path}.additionalProperties`));
  if (
    s.required !== undefined &&
    !(Array.isArray(s.required) && s.required.every((r) => typeof r === 'string'))
  ) {
    problems.push(`${path}.required: must be a list of names`);
  }
  if (s.enum !== undefined && !Array.isArray(s.enum)) problems.push(`${path}.enum: must be a list`);
  return problems;
}

/** Validation errors of `value` against `schema`, as `path: message` (empty when valid). */
export function validateJson(schema: JsonSchema, value: unknown, path = '$'): string[] {
  const errors: string[] = [];
  const types =
    schema.type === undefined
      ? undefined
      : Array.isArray(schema.type)
        ? schema.type
        : [schema.type];
  if (types && !types.some((t) => hasType(value, String(t)))) {
    return [`${path}: expected ${types.join(' or ')}, got ${typeOf(value)}`];
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => deepEqual(e, value))) {
    errors.push(`${path}: must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}`);
  }
  if ('const' in schema && !deepEqual(schema.const, value))
    errors.push(`${path}: must be ${JSON.stringify(schema.const)}`);
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum)
      errors.push(`${path}: must be ≥ ${schema.minimum}`);
    if (typeof schema.maximum === 'number' && value > schema.maximum)
      errors.push(`${path}: must be ≤ ${schema.maximum}`);
  }
  if (typeof value === 'string') {
    if (typeof schema.minLength === 'number' && value.length < schema.minLength)
      errors.push(`${path}: shorter than ${schema.minLength}`);
    if (typeof schema.maxLength === 'number' && value.length > schema.maxLength)
      errors.push(`${path}: longer than ${schema.maxLength}`);
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems)
      errors.push(`${path}: fewer than ${schema.minItems} items`);
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems)
      errors.push(`${path}: more than ${schema.maxItems} items`);
    if (isSchema(schema.items)) {
      const items = schema.items as JsonSchema;
      for (const [i, item] of value.entries())
        errors.push(...validateJson(items, item, `${path}[${i}]`));
    }
  }
  if (isPlainObject(value)) errors.push(...validateObject(schema, value, path));
  return errors;
}

function validateObject(
  schema: JsonSchema,
  value: Record<string, unknown>,
  path: string,
): string[] {
  const errors: string[] = [];
  const properties = isSchema(schema.properties)
    ? (schema.properties as Record<string, JsonSchema>)
    : {};
  if (Array.isArray(schema.required)) {
    for (const name of schema.required)
      if (!Object.hasOwn(value, String(name))) errors.push(`${path}.${String(name)}: required`);
  }
  for (const [key, item] of Object.entries(value)) {
    const sub = properties[key];
    if (sub) errors.push(...validateJson(sub, item, `${path}.${key}`));
    else if (schema.additionalProperties === false) errors.push(`${path}.${key}: not allowed`);
    else if (isSchema(schema.additionalProperties))
      errors.push(
        ...validateJson(schema.additionalProperties as JsonSchema, item, `${path}.${key}`),
      );
  }
  return errors;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'object':
      return isPlainObject(value);
    case 'array':
      return Array.isArray(value);
    case 'null':
      return value === null;
    default:
      return typeof value === type;
  }
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isSchema(value: unknown): boolean {
  return isPlainObject(value);
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
