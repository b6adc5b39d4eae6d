/** The request log as callers read it: admin scope only, since it spans every key. */
import { badRequest, GatewayError } from '../errors.js';
import type {
  RequestLogBackend,
  RequestLogEntry,
  RequestLogPage,
  RequestLogQuery,
} from '../stores/requests/request-log.js';
import { requireAdmin } from './authorization.js';
import type { RequestContext } from './context.js';

export async function listRequests(
  log: RequestLogBackend,
  query: RequestLogQuery,
  ctx: RequestContext,
): Promise<RequestLogPage> {
  requireAdmin(ctx.caller, 'requests.read');
  if (query.since && query.until && query.since > query.until) {
    throw badRequest([{ path: 'since', message: 'must not be after `until`' }]);
  }
  return log.list(query);
}

export async function getRequest(
  log: RequestLogBackend,
  id: string,
  ctx: RequestContext,
): Promise<RequestLogEntry> {
  requireAdmin(ctx.caller, 'requests.read');
  const entry = await log.get(id);
  if (!entry) {
    throw new GatewayError('NOT_FOUND', `No request ${id} in the request log`, {
      details: { id },
    });
  }
  return entry;
}
