import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatewayError } from '@intellicore/llm-core';
import { TRPCError } from '@trpc/server';
import { nodeHTTPRequestHandler } from '@trpc/server/adapters/node-http';
import { getErrorShape, transformTRPCResponse } from '@trpc/server/unstable-core-do-not-import';
import type { Logger } from 'pino';
import type { ApiKeyAuth } from '../auth.js';
import type { RequestRecord } from '../observability/request-record.js';
import type { AppRouter } from '../routers/app.js';
import type { TrpcContext } from '../trpc.js';
import { PayloadTooLargeError, readBodyText } from './body.js';
import { quotaHeaders } from './quota-headers.js';

export interface TrpcHandlerOptions {
  router: AppRouter;
  auth: ApiKeyAuth;
  maxBodyBytes: number;
  logger: Logger;
}

type BodyRequest = IncomingMessage & { body?: unknown };

/**
 * `/trpc/*` through tRPC's node adapter. POST bodies are read here first (size limit, strict
 * UTF-8) and handed to tRPC as text, so tRPC parses them once and bad bytes answer 400/413 in
 * tRPC's own error shape.
 */
export function createTrpcHandler(options: TrpcHandlerOptions) {
  const { router, auth, maxBodyBytes, logger } = options;
  const procedures = router._def.procedures as Record<string, unknown>;

  return async (req: IncomingMessage, res: ServerResponse, path: string, record: RequestRecord) => {
    record.route = 'trpc';
    if (req.method === 'POST') {
      try {
        (req as BodyRequest).body = await readBodyText(req, maxBodyBytes);
      } catch (error) {
        const gateway = error instanceof GatewayError ? error : undefined;
        record.code = gateway?.code ?? 'BAD_REQUEST';
        writeTrpcError(
          res,
          router,
          new TRPCError({
            code: error instanceof PayloadTooLargeError ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST',
            message: gateway?.message ?? 'Bad request body',
            cause: gateway,
          }),
        );
        return;
      }
    }
    await nodeHTTPRequestHandler({
      router,
      req,
      res,
      path,
      maxBodySize: maxBodyBytes,
      createContext: ({ info }): TrpcContext => {
        const names = info.calls.map((c) => c.path);
        record.procedure = names.join(',');
        // Only known names become metric labels (paths are client-controlled).
        const single = names.length === 1 ? names[0]! : undefined;
        record.route =
          single === undefined
            ? 'trpc:batch'
            : single in procedures
              ? `trpc:${single}`
              : 'trpc:unknown';
        const result = auth.authenticate(req.headers.authorization);
        const onQuota = quotaHeaders(res);
        if (result.ok) {
          record.keyId = result.caller.keyId;
          return { requestId: record.id, caller: result.caller, record, onQuota };
        }
        return { requestId: record.id, caller: null, authError: result.message, record, onQuota };
      },
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

function writeTrpcError(res: ServerResponse, router: AppRouter, error: TRPCError): void {
  const config = router._def._config;
  const shape = getErrorShape({
    config,
    error,
    type: 'unknown',
    path: undefined,
    input: undefined,
    ctx: undefined,
  });
  const body = JSON.stringify(transformTRPCResponse(config, { error: shape }));
  res.writeHead(error.code === 'PAYLOAD_TOO_LARGE' ? 413 : 400, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}
