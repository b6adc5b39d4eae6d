import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatewayError } from '@intellicore/llm-core';
import { TRPCError, type TRPCProcedureType } from '@trpc/server';
import { nodeHTTPRequestHandler } from '@trpc/server/adapters/node-http';
import type { Logger } from 'pino';
import type { ApiKeyAuth } from '../../auth.js';
import type { RequestRecord } from '../../observability/request-record.js';
import type { AppRouter } from '../../routers/app.js';
import { requestSignal } from '../signal.js';
import type { OpenStreams } from '../stream-pump.js';
import { trpcContext } from './context.js';
import { readInputs } from './inputs.js';
import { failure, procedureTypes, type RpcOutcome, runCall, writeOutcomes } from './rpc.js';
import { streamSubscription, TRPC_EVENT_STREAM } from './stream.js';

export interface TrpcHandlerOptions {
  router: AppRouter;
  auth: ApiKeyAuth;
  maxBodyBytes: number;
  logger: Logger;
  streams: OpenStreams;
  /** Keep-alive interval of POST streams (SSE_PING_MS). */
  pingMs: number;
}

/**
 * `/trpc/*`. Queries, mutations and batches in tRPC's plain-JSON HTTP format (what `httpLink`
 * and `httpBatchLink` send) and subscriptions asked for with POST (the SDK's streams) are
 * served here, calling the procedures through tRPC's `callTRPCProcedure`: tRPC's node adapter
 * turns every request into a Fetch Request and Response, which alone capped it at ~2,600 req/s
 * on 2 cores for a constant answer. Everything else — JSONL batch streams (`httpBatchStreamLink`),
 * GET subscriptions over SSE (`httpSubscriptionLink`), other content types — goes to tRPC's
 * own node adapter, so any standard tRPC client works.
 */
export function createTrpcHandler(options: TrpcHandlerOptions) {
  const { router, auth, maxBodyBytes, logger, streams } = options;
  const types = procedureTypes(router);
  const known = (name: string) => types.has(name);
  const adapter = createAdapterHandler(options, known);

  return async (req: IncomingMessage, res: ServerResponse, path: string, record: RequestRecord) => {
    record.route = 'trpc';
    const url = req.url ?? '';
    const q = url.indexOf('?');
    const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
    const batch = query.get('batch') === '1';
    const names = batch ? path.split(',') : [path];
    if (needsAdapter(req, names, types)) {
      if (req.method === 'GET') countStream(res, streams);
      return adapter(req, res, path, record);
    }

    const ctx = trpcContext(req, res, record, auth, names, known);
    const signal = requestSignal(req, res);
    let inputs: unknown[];
    try {
      inputs = await readInputs(req, query, names.length, batch, maxBodyBytes);
    } catch (error) {
      const outcomes = names.map((name) => failure(error, name, types.get(name)));
      record.code = outcomes[0]?.shape.data.gatewayCode;
      return writeOutcomes(res, outcomes, batch);
    }

    const single = names.length === 1 ? names[0] : undefined;
    if (req.method === 'POST' && single !== undefined && types.get(single) === 'subscription') {
      const call = { path: single, input: inputs[0] };
      return streamSubscription(router, call, ctx, res, signal, TRPC_EVENT_STREAM, {
        streams,
        pingMs: options.pingMs,
      });
    }

    const outcomes = await Promise.all(
      names.map((name, index): Promise<RpcOutcome> | RpcOutcome => {
        const type = types.get(name);
        const refused = refusal(req.method, name, type);
        if (refused || !type) return failure(refused, name, type);
        return runCall(router, { path: name, input: inputs[index] }, type, ctx, signal, index);
      }),
    );
    for (const outcome of outcomes) {
      if (outcome.ok) continue;
      record.code ??= outcome.shape.data.gatewayCode;
      if (outcome.shape.data.gatewayCode === 'INTERNAL') {
        logger.error(
          { err: outcome.error.cause ?? outcome.error, reqId: record.id },
          'internal error',
        );
      }
    }
    writeOutcomes(res, outcomes, batch);
  };
}

/** Why a call cannot run as asked (unknown path, wrong method), as tRPC's adapter says it. */
function refusal(
  method: string | undefined,
  name: string,
  type: TRPCProcedureType | undefined,
): TRPCError | undefined {
  if (!type)
    return new TRPCError({ code: 'NOT_FOUND', message: `No procedure found on path "${name}"` });
  const expected = method === 'GET' ? 'query' : method === 'POST' ? 'mutation' : undefined;
  if (type === expected) return undefined;
  return new TRPCError({
    code: 'METHOD_NOT_SUPPORTED',
    message: `Unsupported ${method}-request to ${type} procedure at path "${name}"`,
  });
}

/** Requests only tRPC's own adapter speaks (JSONL streams, GET SSE, non-JSON bodies). */
function needsAdapter(
  req: IncomingMessage,
  names: readonly string[],
  types: ReadonlyMap<string, TRPCProcedureType>,
): boolean {
  if (req.headers['trpc-accept'] === 'application/jsonl') return true;
  if (req.method === 'GET') return names.some((name) => types.get(name) === 'subscription');
  const type = req.headers['content-type'];
  return req.method === 'POST' && type !== undefined && !/^application\/json\b/i.test(type);
}

/** A GET subscription (tRPC's SSE link) is an open stream until its response closes. */
function countStream(res: ServerResponse, streams: OpenStreams): void {
  streams.opened();
  res.once('close', () => streams.closed());
}

/** tRPC's node adapter for what the fast path does not serve (see createTrpcHandler). */
function createAdapterHandler(options: TrpcHandlerOptions, known: (name: string) => boolean) {
  const { router, auth, maxBodyBytes, logger } = options;
  return async (req: IncomingMessage, res: ServerResponse, path: string, record: RequestRecord) => {
    await nodeHTTPRequestHandler({
      router,
      req,
      res,
      path,
      maxBodySize: maxBodyBytes,
      createContext: ({ info }) =>
        trpcContext(
          req,
          res,
          record,
          auth,
          info.calls.map((c) => c.path),
          known,
        ),
      // RATE_LIMITED / OVERLOADED answers carry Retry-After, as on the other fronts.
      responseMeta: ({ errors }) => {
        let retry: number | undefined;
        for (const error of errors) {
          const seconds =
            error.cause instanceof GatewayError ? error.cause.retryAfterSeconds : undefined;
          if (seconds !== undefined) retry = Math.max(retry ?? 0, seconds);
        }
        return retry === undefined
          ? {}
          : { headers: { 'retry-after': String(Math.max(1, Math.ceil(retry))) } };
      },
      onError: ({ error, path: procedure }) => {
        if (error.code === 'INTERNAL_SERVER_ERROR' && !(error.cause instanceof GatewayError)) {
          logger.error(
            { err: error.cause ?? error, reqId: record.id, procedure },
            'internal error',
          );
        }
      },
    });
  };
}
