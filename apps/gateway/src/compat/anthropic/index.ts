import type { IncomingMessage } from 'node:http';
import { RouteError } from '../../errors.js';
import { type FrontCall, type FrontDeps, requireMethod } from '../front.js';
import { messages } from './messages.js';

export { sendAnthropicError } from './errors.js';

/** Routes `/v1/messages*` (path given without `/v1`). `anthropic-version` and
 * `anthropic-beta` headers are accepted and need no handling. */
export function anthropicFront(deps: FrontDeps) {
  return async (call: FrontCall): Promise<void> => {
    // Anthropic's SDKs read `request-id` (e.g. into their errors' `requestID`).
    call.res.setHeader('request-id', call.record.id);
    if (call.path === '/messages') {
      call.record.route = '/v1/messages';
      requireMethod(call.req.method, 'POST');
      return messages(call, deps);
    }
    throw new RouteError(404, `Unknown endpoint /v1${call.path}`);
  };
}

/**
 * The key as Anthropic clients send it: `x-api-key` (ANTHROPIC_API_KEY), else
 * `Authorization: Bearer` (ANTHROPIC_AUTH_TOKEN). Returned in the Authorization form the
 * gateway's key check reads.
 */
export function anthropicCredential(req: IncomingMessage): string | undefined {
  const key = req.headers['x-api-key'];
  if (typeof key === 'string' && key.trim() !== '') return `Bearer ${key.trim()}`;
  return req.headers.authorization;
}
