import type { z } from 'zod';
import { invalidInput } from '../errors.js';

/** Parses a compat request body with a zod schema; failures name every bad field. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw invalidInput(parsed.error.issues);
  return parsed.data;
}
