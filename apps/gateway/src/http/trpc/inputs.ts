import type { IncomingMessage } from 'node:http';
import { TRPCError } from '@trpc/server';
import { readBodyText } from '../body.js';

/**
 * The inputs of a request's calls, as tRPC's HTTP RPC spec puts them: a query's in the `input`
 * query parameter, a mutation's (and a POST stream's) in the body; a batch (`?batch=1`) keys
 * them by index (`{"0": …, "1": …}`). Plain JSON: no transformer envelope.
 */
export async function readInputs(
  req: IncomingMessage,
  query: URLSearchParams,
  count: number,
  batch: boolean,
  maxBodyBytes: number,
): Promise<unknown[]> {
  const text = req.method === 'GET' ? query.get('input') : await readBodyText(req, maxBodyBytes);
  const value = text === null || text.trim() === '' ? undefined : parseJson(text);
  if (!batch) return [value];
  if (
    value !== undefined &&
    (typeof value !== 'object' || value === null || Array.isArray(value))
  ) {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: 'A batch input must be an object keyed by call index ({"0": …})',
    });
  }
  const byIndex = (value ?? {}) as Record<string, unknown>;
  return Array.from({ length: count }, (_, i) => byIndex[String(i)]);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const detail = error instanceof SyntaxError ? error.message : 'invalid JSON';
    throw new TRPCError({ code: 'PARSE_ERROR', message: `Invalid JSON input: ${detail}` });
  }
}
