import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  type GatewayService,
  type KeyDirectory,
  type KeyService,
  MemoryRequestLog,
  RequestLog,
  type TemplateService,
  type UsageStore,
} from '@intellicore/llm-core';
import type { Logger } from 'pino';
import { ApiKeyAuth } from './auth.js';
import {
  anthropicCredential,
  anthropicFront,
  sendAnthropicError,
} from './compat/anthropic/index.js';
import { ollamaFront, sendOllamaError } from './compat/ollama/index.js';
import { openAiFront, sendOpenAiError } from './compat/openai/index.js';
import type { GatewayConfig } from './config.js';
import { Cors } from './http/cors.js';
import { drainServer } from './http/drain.js';
import { createFrontHandler } from './http/front-handler.js';
import { listenOn } from './http/listen.js';
import { createOpsRoutes } from './http/ops-routes.js';
import { sendJson, sendText } from './http/respond.js';
import { createTrpcHandler } from './http/trpc/handler.js';
import { createLogger } from './observability/logger.js';
import { GatewayMetrics } from './observability/metrics.js';
import { finishRequest } from './observability/request-log.js';
import { newRecord, type RequestRecord, requestIdFrom } from './observability/request-record.js';
import {
  registerSharedStateMetrics,
  type SharedStateStats,
} from './observability/shared-state-metrics.js';
import type { Tracing } from './observability/tracing.js';
import { createDocsHandler } from './playground/docs.js';
import { createPlaygroundHandler } from './playground/static.js';
import { createApiDocsHandler } from './rest/api-docs.js';
import { createRestHandler } from './rest/handler.js';
import { type AppRouter, createAppRouter } from './routers/app.js';
import { createGatewayState, type GatewayState } from './state.js';

export interface GatewayServerOptions {
  config: GatewayConfig;
  service: GatewayService;
  templates?: TemplateService;
  /** Usage records for `usage.summary` (absent → it fails). */
  usage?: UsageStore;
  /** Rate-limit backend and cache counters for /metrics. */
  sharedStats?: SharedStateStats;
  /** Stored API keys: auth consults the directory after API_KEYS/ADMIN_API_KEYS. */
  keys?: { directory: KeyDirectory; service: KeyService };
  logger?: Logger;
  /** The request log (`requests.list`); absent → this replica's last REQUEST_LOG_SIZE in memory. */
  requestLog?: RequestLog;
  /** OpenTelemetry tracing (startTracing); absent → off. */
  tracing?: Tracing | undefined;
  /** Called last on shutdown to release services (default: `service.close()`). */
  closeServices?: () => Promise<void>;
}

export interface GatewayServer {
  readonly server: Server;
  readonly router: AppRouter;
  readonly metrics: GatewayMetrics;
  readonly state: GatewayState;
  readonly logger: Logger;
  /** Starts listening (config.port/host unless given); resolves with the base URL. */
  listen(port?: number, host?: string): Promise<string>;
  /** Graceful: readiness false, stop accepting, let requests and streams finish (bounded by
   * SHUTDOWN_TIMEOUT_MS), then close everything. Idempotent. */
  shutdown(): Promise<void>;
}

/** One node:http server for /trpc, /v1 (OpenAI; /v1/messages: Anthropic), /api, /healthz,
 * /readyz and /metrics. */
export function createGatewayServer(options: GatewayServerOptions): GatewayServer {
  const { config, service } = options;
  const logger = options.logger ?? createLogger(config.logLevel);
  const auth = new ApiKeyAuth(config.apiKeys, config.adminApiKeys, options.keys?.directory);
  const state = createGatewayState(() => auth.enabled);
  const metrics = new GatewayMetrics(service);
  if (options.sharedStats) registerSharedStateMetrics(metrics.registry, options.sharedStats);
  const cors = new Cors(config.corsOrigins);
  const streams = { opened: () => metrics.streamOpened(), closed: () => metrics.streamClosed() };
  const requestLog =
    options.requestLog ?? new RequestLog(new MemoryRequestLog(config.requestLog.size));
  const tracing = options.tracing;
  const sinks = { requestLog, logPrompts: config.logPrompts };
  const router = createAppRouter({
    service,
    templates: options.templates,
    usage: options.usage,
    keys: options.keys,
    requestLog,
    state,
    logPrompts: config.logPrompts,
  });
  const frontDeps = {
    service,
    maxBodyBytes: config.maxBodyBytes,
    logPrompts: config.logPrompts,
    streams,
    pingMs: config.ssePingMs,
  };
  const trpc = createTrpcHandler({
    router,
    auth,
    maxBodyBytes: config.maxBodyBytes,
    logger,
    streams,
    pingMs: config.ssePingMs,
  });
  const rest = createRestHandler({
    router,
    auth,
    maxBodyBytes: config.maxBodyBytes,
    logger,
    streams,
    pingMs: config.ssePingMs,
  });
  const openai = createFrontHandler(openAiFront(frontDeps), sendOpenAiError, auth, logger);
  const ollama = createFrontHandler(ollamaFront(frontDeps), sendOllamaError, auth, logger);
  const anthropic = createFrontHandler(
    anthropicFront(frontDeps),
    sendAnthropicError,
    auth,
    logger,
    anthropicCredential,
  );

  // The API reference (/docs.json), the REST API's OpenAPI document with Swagger UI (/docs)
  // and ReDoc (/redoc), and the built playground (PLAYGROUND_DIR) at `/`.
  const docs = createDocsHandler(router, state.version);
  const apiDocs = createApiDocsHandler(router, state.version);
  const playground = createPlaygroundHandler(config.playgroundDir ?? undefined);

  const ops = createOpsRoutes({
    service,
    state,
    metrics,
    auth,
    metricsApiKey: config.metricsApiKey,
  });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const record = newRecord(
      req.method ?? 'GET',
      'other',
      requestIdFrom(req.headers['x-request-id']),
    );
    res.setHeader('x-request-id', record.id);
    if (tracing) record.span = tracing.startRequest(req.headers, record);
    if (state.shuttingDown) res.setHeader('connection', 'close');
    if (cors.handle(req, res)) return;
    // One log line when BOTH the response closed and the handler settled (an aborted request
    // closes first; its handler then records CANCELLED).
    let pending = 2;
    const done = () => {
      if (--pending === 0) finishRequest(record, res.statusCode, logger, metrics, sinks);
    };
    res.once('close', done);
    try {
      await route(req, res, path, record);
    } catch (error) {
      logger.error({ err: error, reqId: record.id }, 'unhandled error');
      if (!res.headersSent) sendJson(res, 500, { error: 'Internal gateway error' });
      else res.destroy();
    } finally {
      done();
    }
  };

  const route = async (
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    record: RequestRecord,
  ): Promise<void> => {
    if (path.startsWith('/trpc/')) return trpc(req, res, path.slice(6), record);
    if (path === '/v1/messages' || path.startsWith('/v1/messages/')) {
      return anthropic(req, res, path.slice(3), record);
    }
    if (path.startsWith('/v1/')) return openai(req, res, path.slice(3), record);
    if (path === '/api/v1' || path.startsWith('/api/v1/')) return rest(req, res, path, record);
    if (path.startsWith('/api/')) return ollama(req, res, path.slice(4), record);
    const op = ops[path];
    if (op) {
      record.route = path;
      return op(req, res, record);
    }
    if (docs(req, res)) {
      record.route = '/docs.json';
      return;
    }
    if (await apiDocs(req, res, path)) {
      record.route = path.startsWith('/docs/assets/') ? '/docs/assets' : path;
      return;
    }
    if (playground && (await playground(req, res))) {
      record.route = 'playground';
      return;
    }
    if (path === '/') {
      record.route = '/';
      return sendText(res, 200, 'intelliCore LLM Gateway is running');
    }
    record.route = 'not_found';
    sendJson(res, 404, { error: `Not found: ${path}` });
  };

  const server = createServer({ keepAliveTimeout: 5_000 }, (req, res) => void handle(req, res));
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  let closing: Promise<void> | undefined;
  const shutdown = () => {
    closing ??= (async () => {
      state.shuttingDown = true; // readiness answers 503 from here on
      logger.info({ timeoutMs: config.shutdownTimeoutMs }, 'shutting down: draining requests');
      await drainServer(server, config.shutdownTimeoutMs, logger);
      await (options.closeServices ?? (() => service.close()))();
      await requestLog.close();
      await tracing?.shutdown();
      logger.info('shutdown complete');
    })();
    return closing;
  };

  return {
    server,
    router,
    metrics,
    state,
    logger,
    listen: (port = config.port, host = config.host) =>
      listenOn(server, { port, host }, () => !auth.enabled, logger),
    shutdown,
  };
}
