/**
 * Well-formed input, for every caller and every door: model options within the one options
 * schema's bounds, keep_alive a real duration, and no JSON structure (format, tool schemas, tool
 * arguments) nested deeper than MAX_NESTING. A deep structure would otherwise reach code that
 * walks it recursively (cache keys, token estimates, the upstream's JSON parser). Transports
 * validate earlier with the same schema for their own field names; this is the rule they cannot
 * forget.
 */
import { badRequest, type FieldError } from '../errors.js';
import { modelOptionsSchema } from '../policy/model-options.js';
import { keepAliveMs } from '../providers/embedded/keep-alive.js';
import type { ChatRequest, EmbedRequest, GenerateRequest } from '../types.js';

/** Deepest nesting of objects/arrays accepted inside a request's JSON values. */
export const MAX_NESTING = 64;

/** Throws BAD_REQUEST naming every malformed field. */
export function checkRequestShape(request: ChatRequest | GenerateRequest | EmbedRequest): void {
  const errors: FieldError[] = [];
  if (request.options !== undefined) {
    const parsed = modelOptionsSchema.safeParse(request.options);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        errors.push({
          path: ['options', ...issue.path.map(String)].join('.'),
          message: issue.message,
        });
      }
    }
    nested(request.options, 'options', errors);
  }
  if (request.keepAlive !== undefined) {
    try {
      keepAliveMs(request.keepAlive, 'keepAlive');
    } catch {
      errors.push({ path: 'keepAlive', message: 'must be seconds or a duration such as "5m"' });
    }
  }
  if ('format' in request && request.format !== undefined) nested(request.format, 'format', errors);
  if ('tools' in request && request.tools) {
    request.tools.forEach((tool, i) => {
      nested(tool, `tools.${i}`, errors);
    });
  }
  if ('messages' in request) {
    request.messages.forEach((m, i) => {
      if (m.toolCalls) nested(m.toolCalls, `messages.${i}.toolCalls`, errors);
    });
  }
  if (errors.length > 0) throw badRequest(errors);
}

function nested(value: unknown, path: string, errors: FieldError[]): void {
  if (depthExceeds(value, MAX_NESTING)) {
    errors.push({ path, message: `is nested more than ${MAX_NESTING} levels deep` });
  }
}

/** True when `value` nests objects/arrays deeper than `limit` (iterative: no stack to blow). */
export function depthExceeds(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth + 1 > limit) return true;
    for (const child of Array.isArray(current) ? current : Object.values(current)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}
