import { existsSync } from 'node:fs';
import {
  createEmbeddedProvider,
  createGatewayService,
  createOllamaUpstreams,
  createTemplateService,
  createTemplateStore,
  type GatewayServiceWithPool,
  type Provider,
  type TemplateService,
  type TemplateStore,
} from '@intellicore/llm-core';
import type { Logger } from 'pino';
import type { GatewayConfig } from './config.js';

/** The core services one gateway runs on, and how to close them. */
export interface GatewayServices {
  service: GatewayServiceWithPool;
  templates: TemplateService;
  close(): Promise<void>;
}

/**
 * Builds the core services from config: one Ollama provider per OLLAMA_URL entry, plus the
 * embedded engine over MODELS_DIR when that directory exists or when no Ollama is configured
 * (embedded-only; it creates the directory on first pull); the template store on DATABASE_URL
 * (PostgreSQL or a SQLite file), whose health is part of readiness.
 */
export async function buildServices(
  config: GatewayConfig,
  logger: Logger,
): Promise<GatewayServices> {
  const upstreams: Provider[] = createOllamaUpstreams(config.ollamaUrls, {
    timeoutMs: config.upstreamTimeoutMs,
  });
  const dir = config.modelsDir;
  if (dir && (existsSync(dir) || config.ollamaUrls.length === 0)) {
    upstreams.push(
      createEmbeddedProvider({ modelsDir: dir, queueTimeoutMs: config.upstream.queueTimeoutMs }),
    );
  }
  if (upstreams.length === 0) {
    logger.warn('No upstream configured: set OLLAMA_URL or MODELS_DIR. /readyz will answer 503.');
  }
  const store: TemplateStore = await createTemplateStore(config.databaseUrl);
  const service = createGatewayService({
    upstreams,
    policy: {
      allowedModels: config.allowedModels,
      aliases: config.modelAliases,
      defaultChatModel: config.defaultChatModel,
      defaultEmbeddingModel: config.defaultEmbeddingModel,
    },
    pool: {
      maxConcurrentPerUpstream: config.upstream.maxConcurrency,
      maxQueuePerUpstream: config.upstream.queueSize,
      queueTimeoutMs: config.upstream.queueTimeoutMs,
    },
    storeHealth: () =>
      store.ping().then(
        () => ({ ok: true }),
        (error: unknown) => ({ ok: false, error: error instanceof Error ? error.message : 'down' }),
      ),
  });
  const templates = createTemplateService({ store, gateway: service });
  return {
    service,
    templates,
    close: async () => {
      await service.close();
      await store.close();
    },
  };
}
