import {
  createEmbeddedProvider,
  createGatewayService,
  createKeyService,
  createOllamaUpstreams,
  createTemplateService,
  createTemplateStore,
  type GatewayServiceWithPool,
  KeyDirectory,
  type KeyService,
  MemoryBudgetLedger,
  openKeyStore,
  openRequestLog,
  openSharedState,
  type Provider,
  RedisBudgetLedger,
  type RequestLog,
  type SharedState,
  type TemplateService,
  type TemplateStore,
  type UsageStore,
} from '@intellicore/llm-core';
import type { Logger } from 'pino';
import type { GatewayConfig } from './config.js';
import { SharedStateStats } from './observability/shared-state-metrics.js';

/** The core services one gateway runs on, and how to close them. */
export interface GatewayServices {
  service: GatewayServiceWithPool;
  templates: TemplateService;
  /** Usage records (`usage.summary`); the service's sink writes to it in batches. */
  usage: UsageStore;
  /** Limiter backend and cache events, for /metrics. */
  sharedStats: SharedStateStats;
  /** Stored keys: the directory auth consults, and the admin operations on them. */
  keys: { directory: KeyDirectory; service: KeyService };
  /** The request log: memory, and the store when REQUEST_LOG_RETENTION is set (the server
   * closes it). */
  requestLog: RequestLog;
  close(): Promise<void>;
}

/**
 * Builds the core services from config: one Ollama provider per OLLAMA_URL entry (shown by its
 * name, never its URL), plus the embedded engine when config.modelsDir says so (no Ollama
 * configured, or MODELS_DIR set explicitly; it creates the directory on first pull); the
 * template store on DATABASE_URL
 * (PostgreSQL or a SQLite file), whose health is part of readiness; and the shared state:
 * rate limits and response cache (Valkey when VALKEY_URL is set — the limiter falling back to
 * memory while it is away — memory otherwise) and usage records on the same DATABASE_URL; stored
 * API keys there too, cached in memory by a directory that Valkey change notices keep current
 * on every replica, with their budgets counted on Valkey (memory without it).
 */
export async function buildServices(
  config: GatewayConfig,
  logger: Logger,
): Promise<GatewayServices> {
  const upstreams: Provider[] = createOllamaUpstreams(config.ollamaUpstreams, {
    timeoutMs: config.upstreamTimeoutMs,
  });
  if (config.modelsDir) {
    upstreams.push(
      createEmbeddedProvider({
        modelsDir: config.modelsDir,
        queueTimeoutMs: config.upstream.queueTimeoutMs,
      }),
    );
  }
  if (upstreams.length === 0) {
    logger.warn('No upstream configured: set OLLAMA_URL or MODELS_DIR. /readyz will answer 503.');
  }
  const schema = config.databaseSchema ?? undefined;
  const store: TemplateStore = await createTemplateStore(config.databaseUrl, { schema });
  const sharedStats = new SharedStateStats();
  const log = (level: 'info' | 'warn', message: string, details?: Record<string, unknown>) =>
    logger[level](details ?? {}, message);
  let shared: SharedState;
  try {
    shared = await openSharedState({
      valkeyUrl: config.valkeyUrl,
      databaseUrl: config.databaseUrl,
      schema,
      keyPrefix: config.valkeyPrefix,
      rateLimit: config.rateLimit,
      perKeyLimits: true,
      cache: config.cache,
      log,
      onLimiterBackendChange: sharedStats.onLimiterBackendChange,
      onCacheEvent: sharedStats.onCacheEvent,
    });
  } catch (error) {
    await store.close();
    throw error;
  }
  let directory: KeyDirectory;
  const keyStore = await openKeyStore(config.databaseUrl, { schema }).catch(async (error) => {
    await Promise.allSettled([shared.close(), store.close()]);
    throw error;
  });
  try {
    const keyPrefix = config.valkeyPrefix;
    directory = await KeyDirectory.open({ store: keyStore, redis: shared.redis, keyPrefix, log });
  } catch (error) {
    await Promise.allSettled([keyStore.close(), shared.close(), store.close()]);
    throw error;
  }
  const budgets = shared.redis
    ? new RedisBudgetLedger(shared.redis, { keyPrefix: config.valkeyPrefix, log })
    : new MemoryBudgetLedger();
  if (shared.limiter) sharedStats.limiterBackend = shared.redis ? 'valkey' : 'memory';
  const service = createGatewayService({
    upstreams,
    policy: {
      allowedModels: config.allowedModels,
      aliases: config.modelAliases,
      defaultChatModel: config.defaultChatModel,
      defaultEmbeddingModel: config.defaultEmbeddingModel,
    },
    caps: config.caps,
    fallbacks: config.modelFallbacks,
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
    limiter: shared.limiter,
    limiterForOwnLimitsOnly: shared.limiterForOwnLimitsOnly,
    budgets,
    cache: shared.cache,
    cacheTtlSeconds: shared.cacheTtlSeconds,
    cacheSharedAcrossKeys: config.cache.sharedAcrossKeys,
    usage: shared.usage,
  });
  const templates = createTemplateService({ store, gateway: service });
  const keys = createKeyService({
    store: keyStore,
    directory,
    ledger: budgets,
    usage: shared.usageStore,
    isModelAllowed: (model) => service.policy.isAllowed(model),
    envAdmin: config.adminApiKeys.length > 0,
  });
  const requestLog = await openRequestLog({
    capacity: config.requestLog.size,
    ...(config.requestLog.retentionMs === null
      ? {}
      : { retentionMs: config.requestLog.retentionMs, databaseUrl: config.databaseUrl }),
    ...(schema === undefined ? {} : { schema }),
    onError: (error) => logger.warn({ err: error }, 'request log: write failed'),
  });
  return {
    service,
    templates,
    usage: shared.usageStore,
    sharedStats,
    keys: { directory, service: keys },
    requestLog,
    // service.close() flushes and closes the usage sink, limiter and cache (each once);
    // shared.close() then only closes the usage store and the Valkey connection (it is
    // idempotent, and closing an already closed sink, limiter or cache is a no-op).
    close: async () => {
      await service.close();
      await directory.close(); // writes the last lastUsedAt values
      await Promise.allSettled([shared.close(), store.close(), keyStore.close()]);
    },
  };
}
