import type { IncomingMessage } from 'node:http';
import { badRequest, type FieldError } from '@intellicore/llm-core';
import { readBodyText } from '../http/body.js';
import type { RouteMatch } from './match.js';

/** How a query-string value is read for one input field (from the input's JSON Schema). */
export type QueryKind = 'number' | 'boolean' | 'array' | 'string';

/** A procedure call built from a REST request. */
export interface RestCall {
  procedure: string;
  input: unknown;
}

/**
 * The procedure and its input for a matched request: path parameters, plus the query string
 * (read with the field kinds of the input schema) or the JSON body. A body's `stream` picks the
 * streaming procedure where the route has one. What the values must be is left to the
 * procedure's own zod schema, so REST and tRPC answer the same field errors.
 */
export async function restCall(
  req: IncomingMessage,
  match: RouteMatch,
  query: URLSearchParams,
  queryKinds: ReadonlyMap<string, QueryKind>,
  maxBodyBytes: number,
): Promise<RestCall> {
  const { route, params } = match;
  let fields: Record<string, unknown> = {};
  if (route.input === 'query') fields = queryFields(query, queryKinds);
  if (route.input === 'body') fields = await bodyFields(req, maxBodyBytes);
  let procedure = route.procedure;
  if (route.streamProcedure) {
    const stream = fields.stream;
    delete fields.stream;
    if (stream === true) procedure = route.streamProcedure;
    else if (stream !== undefined && stream !== false) {
      throw badRequest([{ path: 'stream', message: 'must be a boolean' }]);
    }
  }
  const conflicts: FieldError[] = [];
  for (const [name, value] of Object.entries(params)) {
    if (fields[name] !== undefined && fields[name] !== value) {
      conflicts.push({ path: name, message: `differs from the path's ${name} (${value})` });
    }
    fields[name] = value;
  }
  if (conflicts.length > 0) throw badRequest(conflicts);
  const empty = route.input === 'none' && Object.keys(params).length === 0;
  return { procedure, input: empty ? undefined : fields };
}

function queryFields(
  query: URLSearchParams,
  kinds: ReadonlyMap<string, QueryKind>,
): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  const repeated: FieldError[] = [];
  for (const name of new Set(query.keys())) {
    const values = query.getAll(name);
    const kind = kinds.get(name) ?? 'string';
    if (kind === 'array') {
      fields[name] = values;
      continue;
    }
    if (values.length > 1) {
      repeated.push({ path: name, message: 'must be given once' });
      continue;
    }
    fields[name] = scalar(values[0] ?? '', kind);
  }
  if (repeated.length > 0) throw badRequest(repeated);
  return fields;
}

/** Numbers and booleans from their text; anything else stays text for zod to name. */
function scalar(text: string, kind: QueryKind): unknown {
  if (kind === 'number' && /^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (kind === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}

/** A JSON object body; an empty body is `{}` (the schema then names what is missing). */
async function bodyFields(req: IncomingMessage, limit: number): Promise<Record<string, unknown>> {
  const text = await readBodyText(req, limit);
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof SyntaxError ? error.message : 'invalid JSON';
    throw badRequest(
      [{ path: '', message: `invalid JSON: ${detail}` }],
      `Invalid JSON body: ${detail}`,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badRequest(
      [{ path: '', message: 'must be a JSON object' }],
      'The body must be a JSON object',
    );
  }
  return value as Record<string, unknown>;
}
