import type { GatewayService, TemplateService } from '@intellicore/llm-core';
import type { Logger } from 'pino';
import { type GatewayConfig, loadConfig } from './config.js';
import { createLogger } from './observability/logger.js';
import { startTracing } from './observability/tracing.js';
import { createGatewayServer, type GatewayServer } from './server.js';
import { buildServices } from './services.js';

export interface StartGatewayOptions {
  /** A full config, or env-style overrides read by loadConfig (e.g. `{ OLLAMA_URL: … }`). */
  config?: GatewayConfig;
  env?: Record<string, string | undefined>;
  /** Use this service (and templates) instead of building them from the config; the caller
   * then closes them. */
  service?: GatewayService;
  templates?: TemplateService;
  logger?: Logger;
  port?: number;
  host?: string;
}

export interface StartedGateway {
  gateway: GatewayServer;
  service: GatewayService;
  /** Base URL, e.g. `http://127.0.0.1:43125`. */
  url: string;
  close(): Promise<void>;
}

/** Builds services (unless given), creates the server and listens. For tests, benches, embedding. */
export async function startGateway(options: StartGatewayOptions = {}): Promise<StartedGateway> {
  const config = options.config ?? loadConfig(options.env ?? {});
  const logger = options.logger ?? createLogger(config.logLevel);
  const built = options.service ? undefined : await buildServices(config, logger);
  const service = options.service ?? built!.service;
  const templates = options.templates ?? built?.templates;
  const tracing = await startTracing(logger, options.env ?? process.env);
  const gateway = createGatewayServer({
    config,
    service,
    logger,
    tracing,
    ...(built ? { requestLog: built.requestLog } : {}),
    ...(templates ? { templates } : {}),
    ...(built ? { usage: built.usage, sharedStats: built.sharedStats, keys: built.keys } : {}),
    closeServices: built ? built.close : async () => undefined,
  });
  const url = await gateway.listen(options.port ?? config.port, options.host ?? config.host);
  return { gateway, service, url, close: () => gateway.shutdown() };
}
