/** The parts of a JSON Schema (as z.toJSONSchema writes them) the reference page reads. */
export interface JsonSchema {
  type?: string | string[];
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  additionalProperties?: JsonSchema | boolean;
  format?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
}

const isEmpty = (s: JsonSchema) => Object.keys(s).filter((k) => k !== 'description').length === 0;

/** A short type for people: `string`, `"delta"`, `"a" | "b"`, `message[]`, `record<string, any>`. */
export function typeLabel(s: JsonSchema): string {
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  const union = s.anyOf ?? s.oneOf;
  if (union) {
    // zod's z.date() has no JSON form: it shows as {} next to its string alternative.
    const branches = union.filter((b) => !isEmpty(b));
    return [...new Set(branches.map(typeLabel))].join(' | ') || 'any';
  }
  const type = Array.isArray(s.type) ? s.type.join(' | ') : s.type;
  if (type === 'array') return `${s.items ? typeLabel(s.items) : 'any'}[]`;
  if (type === 'object' && !s.properties) {
    const values = s.additionalProperties;
    return `record<string, ${typeof values === 'object' && !isEmpty(values) ? typeLabel(values) : 'any'}>`;
  }
  if (type === 'string' && s.format) return `string (${s.format})`;
  if (type === 'integer' || type === 'number') return type;
  return type ?? 'any';
}

const SAFE_MAX = Number.MAX_SAFE_INTEGER;

/** Limits worth telling: `1–200 chars`, `≥ 0`, `at least 1 item`, `at most 2048 items`. */
export function limitsOf(s: JsonSchema): string[] {
  const out: string[] = [];
  const range = (min: number | undefined, max: number | undefined, unit?: string) => {
    const hasMax = max !== undefined && max < SAFE_MAX;
    const hasMin = min !== undefined && min > -SAFE_MAX;
    const of = (n: number) => (unit ? ` ${unit}${n === 1 ? '' : 's'}` : '');
    if (hasMin && hasMax) out.push(`${min}–${max}${unit ? ` ${unit}s` : ''}`);
    else if (hasMin) out.push(unit ? `at least ${min}${of(min)}` : `≥ ${min}`);
    else if (hasMax) out.push(unit ? `at most ${max}${of(max)}` : `≤ ${max}`);
  };
  range(s.minimum, s.maximum);
  range(s.minLength, s.maxLength, 'char');
  range(s.minItems, s.maxItems, 'item');
  if (s.default !== undefined) out.push(`default ${JSON.stringify(s.default)}`);
  return out;
}

/** The object schemas to list fields of: the schema itself, array items, union branches. */
export function nestedObjects(s: JsonSchema): JsonSchema[] {
  if (s.properties) return [s];
  if (s.items) return nestedObjects(s.items);
  const union = s.anyOf ?? s.oneOf;
  return union ? union.flatMap(nestedObjects) : [];
}
