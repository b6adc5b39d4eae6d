import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TRPCProcedureType } from '@trpc/server';
import type { Logger } from 'pino';
import type { ApiKeyAuth } from '../auth.js';
import { answerJson } from '../http/json-text.js';
import { requestSignal } from '../http/signal.js';
import type { OpenStreams } from '../http/stream-pump.js';
import { trpcContext } from '../http/trpc/context.js';
import { failure, procedureTypes, runCall } from '../http/trpc/rpc.js';
import { streamSubscription } from '../http/trpc/stream.js';
import type { RequestRecord } from '../observability/request-record.js';
import type { AppRouter } from '../routers/app.js';
import { sendRestError } from './errors.js';
import { type QueryKind, restCall } from './input.js';
import { MethodNotAllowed, matchRoute } from './match.js';
import { REST_ROUTES, type RestRoute } from './routes.js';
import { queryKindsOf } from './schemas.js';
import { REST_EVENT_STREAM } from './stream.js';

export interface RestHandlerOptions {
  router: AppRouter;
  auth: ApiKeyAuth;
  maxBodyBytes: number;
  logger: Logger;
  streams: OpenStreams;
  /** Keep-alive interval of streams (SSE_PING_MS). */
  pingMs: number;
}

/**
 * `/api/v1/*`: each path of the route table calls its tRPC procedure through tRPC's own
 * `callTRPCProcedure` (auth middlewares, zod input and output validation, the same core
 * calls), with the tRPC door's context builder, so keys, limits, cache, usage, metrics and
 * aborts are those of `/trpc`; only the answer's framing differs (plain JSON, REST errors,
 * SSE for streams). Calls are recorded with door `rest` and route `rest:<METHOD> <path>`.
 */
export function createRestHandler(options: RestHandlerOptions) {
  const { router, auth, maxBodyBytes, logger, streams, pingMs } = options;
  const types = procedureTypes(router);
  const known = (name: string) => types.has(name);
  for (const route of REST_ROUTES) {
    for (const name of [route.procedure, route.streamProcedure]) {
      if (name !== undefined && !known(name)) {
        throw new Error(`REST route ${route.method} ${route.path}: no procedure ${name}`);
      }
    }
  }
  const kinds = new Map<string, ReadonlyMap<string, QueryKind>>();

  return async (req: IncomingMessage, res: ServerResponse, path: string, record: RequestRecord) => {
    const method = req.method ?? 'GET';
    record.route = 'rest:unknown';
    let match: ReturnType<typeof matchRoute>;
    try {
      match = matchRoute(method, path);
    } catch (error) {
      const { shape } = failure(error, undefined);
      record.code = shape.data.gatewayCode;
      return sendRestError(res, shape, error instanceof MethodNotAllowed ? error.allow : undefined);
    }
    const { route } = match;
    const ctx = trpcContext(req, res, record, auth, [route.procedure], known);
    ctx.door = 'rest';
    record.route = `rest:${route.method} ${route.path}`;
    const signal = requestSignal(req, res);

    let call: Awaited<ReturnType<typeof restCall>>;
    try {
      let queryKinds = kinds.get(route.procedure);
      if (!queryKinds) {
        queryKinds = queryKindsOf(router, route.procedure);
        kinds.set(route.procedure, queryKinds);
      }
      const q = (req.url ?? '').indexOf('?');
      const query = new URLSearchParams(q < 0 ? '' : (req.url ?? '').slice(q + 1));
      call = await restCall(req, match, query, queryKinds, maxBodyBytes);
    } catch (error) {
      const { shape } = failure(error, route.procedure);
      record.code = shape.data.gatewayCode;
      return sendRestError(res, shape);
    }
    record.procedure = call.procedure;

    const type = types.get(call.procedure);
    if (type === 'subscription') {
      const sub = { path: call.procedure, input: call.input };
      return streamSubscription(router, sub, ctx, res, signal, REST_EVENT_STREAM, {
        streams,
        pingMs,
      });
    }
    const outcome = await runCall(
      router,
      { path: call.procedure, input: call.input },
      type as TRPCProcedureType, // every route's procedure exists (checked above)
      ctx,
      signal,
      0,
    );
    if (!outcome.ok) {
      record.code ??= outcome.shape.data.gatewayCode;
      if (outcome.shape.data.gatewayCode === 'INTERNAL') {
        logger.error(
          { err: outcome.error.cause ?? outcome.error, reqId: record.id },
          'internal error',
        );
      }
      return sendRestError(res, outcome.shape);
    }
    const body = answerJson(outcome.data);
    res.writeHead(successStatus(route, outcome.data), {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  };
}

/** The route's status; readiness that is not ready answers 503 (load balancers read that). */
function successStatus(route: RestRoute, data: unknown): number {
  if (route.procedure === 'health.ready' && (data as { ready: boolean }).ready === false) {
    return 503;
  }
  return route.status ?? 200;
}
