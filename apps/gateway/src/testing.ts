import type { GatewayService } from '@intellicore/llm-core';
import type { Logger } from 'pino';
import { type GatewayConfig, loadConfig } from './config.js';
import { createLogger } from './observability/logger.js';
import type { GatewayServer } from './server.js';
import { startGateway } from './start.js';

export interface TestGatewayOptions {
  /** Ollama base URL(s) to use as upstreams, e.g. a fake Ollama's `url`. */
  ollamaUrl?: string | string[];
  /** Extra env-style settings (API_KEYS, CORS_ORIGINS, ALLOWED_MODELS, …). */
  env?: Record<string, string>;
  service?: GatewayService;
  /** Default: pino at LOG_LEVEL (silent unless `env` says otherwise). */
  logger?: Logger;
  /** Wait until an upstream is healthy (default true when an ollamaUrl is given). */
  waitReady?: boolean;
}

export interface TestGateway {
  url: string;
  config: GatewayConfig;
  gateway: GatewayServer;
  service: GatewayService;
  close(): Promise<void>;
}

/**
 * A real gateway on 127.0.0.1 with a free port, quiet logs and no embedded engine (unless
 * MODELS_DIR is given in `env`). For the gateway's own tests and other packages' (client, bench).
 */
export async function startTestGateway(options: TestGatewayOptions = {}): Promise<TestGateway> {
  const urls = options.ollamaUrl === undefined ? [] : [options.ollamaUrl].flat();
  const config = loadConfig({
    MODELS_DIR: 'off',
    LOG_LEVEL: 'silent',
    SHUTDOWN_TIMEOUT_MS: '2000',
    DATABASE_URL: ':memory:',
    OLLAMA_URL: urls.join(','),
    OLLAMA_DEFAULT_MODEL: urls.length > 0 ? 'llama3.2' : undefined,
    OLLAMA_EMBEDDING_MODEL: urls.length > 0 ? 'nomic-embed-text' : undefined,
    // Hermetic: no playground files unless a test asks (the default would depend on a build).
    PLAYGROUND_DIR: 'off',
    ...options.env,
  });
  const started = await startGateway({
    config,
    // Only the test's own variables (OTEL_*) reach tracing: process.env does not leak in.
    env: options.env ?? {},
    logger: options.logger ?? createLogger(config.logLevel),
    port: 0,
    host: '127.0.0.1',
    ...(options.service ? { service: options.service } : {}),
  });
  if (options.waitReady ?? urls.length > 0) await waitReady(started.service);
  return {
    url: started.url,
    config,
    gateway: started.gateway,
    service: started.service,
    close: started.close,
  };
}

async function waitReady(service: GatewayService, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const report = await service.health();
    if (report.ready && report.upstreams.every((u) => u.healthy)) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('test gateway: no healthy upstream within 10 s');
}
