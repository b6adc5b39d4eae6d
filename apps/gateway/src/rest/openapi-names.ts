import type { JsonSchema } from './schemas.js';

/** Component schemas of the document being built, by name. */
export type Schemas = Record<string, unknown>;

export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
/** `chat.completion` → `ChatCompletion` (component names), `chatCompletion` (operation ids). */
export const pascal = (path: string) =>
  path
    .split('.')
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('');
export const camel = (path: string) => pascal(path).charAt(0).toLowerCase() + pascal(path).slice(1);

/** A JSON Schema as an OpenAPI 3.1 schema: the document declares the dialect once. */
export function clean(schema: unknown): JsonSchema {
  const { $schema: _dialect, ...rest } = (schema ?? {}) as JsonSchema;
  return rest;
}
