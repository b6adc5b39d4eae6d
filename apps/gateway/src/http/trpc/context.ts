import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiKeyAuth } from '../../auth.js';
import type { RequestRecord } from '../../observability/request-record.js';
import type { TrpcContext } from '../../trpc.js';
import { quotaHeaders } from '../quota-headers.js';

/**
 * The per-request tRPC context: the caller from `Authorization: Bearer` (null with the reason
 * when missing or wrong: `authedProcedure` refuses then), the request id and the log record.
 * Names the record's route after the procedure(s); only known names become metric labels,
 * since paths are client-controlled.
 */
export function trpcContext(
  req: IncomingMessage,
  res: ServerResponse,
  record: RequestRecord,
  auth: ApiKeyAuth,
  names: readonly string[],
  known: (name: string) => boolean,
): TrpcContext {
  record.procedure = names.join(',');
  const single = names.length === 1 ? names[0] : undefined;
  record.route =
    single === undefined ? 'trpc:batch' : known(single) ? `trpc:${single}` : 'trpc:unknown';
  const result = auth.authenticate(req.headers.authorization);
  const onQuota = quotaHeaders(res);
  if (result.ok) {
    record.keyId = result.caller.keyId;
    return { requestId: record.id, caller: result.caller, record, onQuota };
  }
  return { requestId: record.id, caller: null, authError: result.message, record, onQuota };
}
