import type { AnyTRPCRouter } from '@trpc/server';
import { z } from 'zod';
import type { QueryKind } from './input.js';

/** A JSON Schema object as z.toJSONSchema writes it (the parts read here). */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
  [key: string]: unknown;
}

/** What tRPC keeps on a built procedure, as far as the REST front reads it. */
interface ProcedureDef {
  inputs: unknown[];
}

/** The JSON Schema of a procedure's input (as sent), or undefined when it takes none. */
export function procedureInputSchema(
  router: AnyTRPCRouter,
  procedure: string,
): JsonSchema | undefined {
  const def = (router._def.procedures[procedure] as { _def?: ProcedureDef } | undefined)?._def;
  const schema = def?.inputs[0];
  if (!(schema instanceof z.ZodType)) return undefined;
  const json = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
    target: 'draft-2020-12',
  });
  return objectSchema(json as JsonSchema);
}

/** An optional object input is `anyOf: [object, null]`-like; the object part is what counts. */
export function objectSchema(schema: JsonSchema): JsonSchema {
  if (schema.properties) return schema;
  const object = schema.anyOf?.find((s) => s.properties);
  return object ?? schema;
}

/** How each field of a procedure's input reads from a query string. */
export function queryKindsOf(router: AnyTRPCRouter, procedure: string): Map<string, QueryKind> {
  const kinds = new Map<string, QueryKind>();
  const properties = procedureInputSchema(router, procedure)?.properties ?? {};
  for (const [name, property] of Object.entries(properties)) kinds.set(name, kindOf(property));
  return kinds;
}

function kindOf(schema: JsonSchema): QueryKind {
  const types = [schema.type ?? [], ...(schema.anyOf ?? []).map((s) => s.type ?? [])].flat();
  if (types.includes('integer') || types.includes('number')) return 'number';
  if (types.includes('boolean')) return 'boolean';
  if (types.includes('array')) return 'array';
  return 'string';
}
