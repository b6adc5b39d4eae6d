import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatewayError, type RequestContext, toGatewayError } from '@intellicore/llm-core';
import type { Logger } from 'pino';
import type { ApiKeyAuth } from '../auth.js';
import type { FrontCall } from '../compat/front.js';
import { traceOf } from '../observability/record-trace.js';
import type { RequestRecord } from '../observability/request-record.js';
import { quotaHeaders } from './quota-headers.js';
import { requestSignal } from './signal.js';

type SendError = (res: ServerResponse, error: unknown) => { code: string };
/** Where a door's clients put the key, as an Authorization header value (default: that header). */
type Credential = (req: IncomingMessage) => string | undefined;

const authorizationHeader: Credential = (req) => req.headers.authorization;

/**
 * Runs one `/v1`, `/v1/messages` or `/api` request: auth (in the front's error shape), the call object the
 * handlers share, and the last-resort error answer (never a stack trace).
 */
export function createFrontHandler(
  front: (call: FrontCall) => Promise<void>,
  sendError: SendError,
  auth: ApiKeyAuth,
  logger: Logger,
  credential: Credential = authorizationHeader,
) {
  return async (
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    record: RequestRecord,
  ): Promise<void> => {
    const result = auth.authenticate(credential(req));
    if (!result.ok) {
      record.code = sendError(res, new GatewayError('UNAUTHORIZED', result.message)).code;
      return;
    }
    const caller = result.caller;
    record.keyId = caller.keyId;
    let signal: AbortSignal | undefined;
    const call: FrontCall = {
      req,
      res,
      record,
      caller,
      path,
      signal: () => {
        signal ??= requestSignal(req, res);
        return signal;
      },
      context: (door): RequestContext => ({
        caller,
        door,
        requestId: record.id,
        signal: call.signal(),
        onQuota: quotaHeaders(res),
        noCache: /\bno-(cache|store)\b/i.test(req.headers['cache-control'] ?? ''),
        trace: traceOf(record, caller),
      }),
    };
    try {
      await front(call);
    } catch (thrown) {
      const error = toGatewayError(thrown);
      record.code = error.code;
      if (error.code === 'INTERNAL') {
        logger.error({ err: error.cause ?? error, reqId: record.id }, 'internal error');
      }
      if (!res.headersSent) sendError(res, error);
      else if (!res.writableEnded) res.destroy();
    }
  };
}
