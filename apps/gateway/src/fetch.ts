import {
  GatewayError,
  type GatewayService,
  type KeyDirectory,
  type KeyService,
  MemoryRequestLog,
  RequestLog,
  type TemplateService,
  type UsageStore,
} from '@intellicore/llm-core';
import { TRPCError } from '@trpc/server';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import type { Logger } from 'pino';
import { ApiKeyAuth } from './auth.js';
import { gatewayCodeOfTrpcCode } from './errors.js';
import { createLogger } from './observability/logger.js';
import { GatewayMetrics } from './observability/metrics.js';
import { finishRequest } from './observability/request-log.js';
import { newRecord, requestIdFrom } from './observability/request-record.js';
import { trpcRoute } from './observability/trpc-route.js';
import { createAppRouter } from './routers/app.js';
import { createGatewayState } from './state.js';
import type { TrpcContext } from './trpc.js';

export interface FetchHandlerOptions {
  service: GatewayService;
  /** Prompt templates (and chat.validateField / chat.suggestFields); absent → those fail. */
  templates?: TemplateService;
  /** Usage records for `usage.summary`; absent → it fails. */
  usage?: UsageStore;
  apiKeys?: string[];
  adminApiKeys?: string[];
  /** Stored API keys (`buildServices(…).keys`): auth consults them after the env keys. */
  keys?: { directory: KeyDirectory; service: KeyService };
  /** Where the router is mounted (default `/trpc`). */
  endpoint?: string;
  logPrompts?: boolean;
  /** Largest request body in bytes, as MAX_BODY_BYTES (default 8 MiB): larger → 413. */
  maxBodyBytes?: number;
  /** One JSON line per request, as the node server writes (default: pino at info). */
  logger?: Logger;
  /** Where request metrics go (default: a registry of its own, `handler.metrics`). */
  metrics?: GatewayMetrics;
  /** The request log behind `requests.list`/`get` (default: the last 1000 in memory). */
  requestLog?: RequestLog;
}

/** The handler, with the metrics it records (render them wherever the runtime serves them). */
export type FetchHandler = ((req: Request) => Promise<Response>) & {
  readonly metrics: GatewayMetrics;
};

const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;

/**
 * The tRPC API as a fetch handler `(Request) => Promise<Response>`, for fetch-based runtimes
 * (Deno, Bun, workers, Next.js route handlers). Same router, same auth rules, same body limit,
 * request log line and metrics as the node server; authorization and caps are core's, so they
 * hold here without anything adapter-specific.
 */
export function createFetchHandler(options: FetchHandlerOptions): FetchHandler {
  const auth = new ApiKeyAuth(
    options.apiKeys ?? [],
    options.adminApiKeys ?? [],
    options.keys?.directory,
  );
  const logger = options.logger ?? createLogger('info');
  const metrics = options.metrics ?? new GatewayMetrics(options.service);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const requestLog = options.requestLog ?? new RequestLog(new MemoryRequestLog(1000));
  const sinks = { requestLog, logPrompts: options.logPrompts ?? false };
  const router = createAppRouter({
    service: options.service,
    templates: options.templates,
    usage: options.usage,
    keys: options.keys,
    requestLog,
    state: createGatewayState(() => auth.enabled),
    logPrompts: options.logPrompts ?? false,
  });
  const procedures = router._def.procedures as Record<string, unknown>;
  const endpoint = options.endpoint ?? '/trpc';

  const handle = async (original: Request): Promise<Response> => {
    const record = newRecord(
      original.method,
      'trpc',
      requestIdFrom(original.headers.get('x-request-id') ?? undefined),
    );
    let response: Response;
    try {
      response = await fetchRequestHandler({
        endpoint,
        req: limitBody(original, maxBodyBytes),
        router,
        createContext: ({ info }): TrpcContext => {
          const names = info.calls.map((c) => c.path);
          record.procedure = names.join(',');
          record.route = trpcRoute(names, procedures);
          const result = auth.authenticate(original.headers.get('authorization') ?? undefined);
          if (!result.ok) {
            return { requestId: record.id, caller: null, authError: result.message, record };
          }
          record.keyId = result.caller.keyId;
          return { requestId: record.id, caller: result.caller, record };
        },
        onError: ({ error, path }) => {
          // Procedure errors were recorded by the error middleware; these come before one runs.
          record.code ??= gatewayCodeOfTrpcCode(error.code);
          if (error.code === 'INTERNAL_SERVER_ERROR' && !(error.cause instanceof GatewayError)) {
            logger.error(
              { err: error.cause ?? error, reqId: record.id, procedure: path },
              'internal error',
            );
          }
        },
      });
    } catch (error) {
      logger.error({ err: error, reqId: record.id }, 'unhandled error');
      response = Response.json({ error: 'Internal gateway error' }, { status: 500 });
    }
    const status = response.status;
    return observed(response, record.id, () =>
      finishRequest(record, status, logger, metrics, sinks),
    );
  };
  return Object.assign(handle, { metrics });
}

/**
 * The request with a body that fails with PAYLOAD_TOO_LARGE past `limit` bytes (declared by
 * Content-Length or counted while reading): tRPC answers it with 413 in its own error shape.
 */
function limitBody(req: Request, limit: number): Request {
  if (!req.body) return req;
  const tooLarge = () =>
    new TRPCError({
      code: 'PAYLOAD_TOO_LARGE',
      message: `Request body is larger than ${limit} bytes`,
    });
  const declared = Number(req.headers.get('content-length'));
  let size = 0;
  const body = req.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      start(controller) {
        if (declared > limit) controller.error(tooLarge());
      },
      transform(chunk, controller) {
        size += chunk.byteLength;
        if (size > limit) controller.error(tooLarge());
        else controller.enqueue(chunk);
      },
    }),
  );
  return new Request(req, { body, duplex: 'half' } as RequestInit);
}

/**
 * The response with its request id, calling `done` once its body has been read to the end or
 * cancelled (streams too): the log line and metrics come when the request really ends.
 */
function observed(response: Response, requestId: string, done: () => void): Response {
  const headers = new Headers(response.headers);
  headers.set('x-request-id', requestId);
  const init = { status: response.status, statusText: response.statusText, headers };
  const source = response.body;
  if (!source) {
    done();
    return new Response(null, init);
  }
  let finished = false;
  const finish = () => {
    if (!finished) {
      finished = true;
      done();
    }
  };
  const reader = source.getReader();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done: ended } = await reader.read();
        if (ended) {
          controller.close();
          finish();
        } else controller.enqueue(value);
      } catch (error) {
        controller.error(error);
        finish();
      }
    },
    async cancel(reason) {
      finish();
      await reader.cancel(reason);
    },
  });
  return new Response(body, init);
}
