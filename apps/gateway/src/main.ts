import { holdYoungGenerationGrowth } from './startup-heap.js';

/** Entry point: config from env, core services, one server; graceful on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  // Before any module loads: start-up alone must not size the young generation (startup-heap.ts).
  const releaseYoungGeneration = holdYoungGenerationGrowth();
  const { ConfigError, loadConfig } = await import('./config.js');
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  // Loaded after the config is valid, so a bad variable is reported at once.
  const [
    { default: pino },
    { createLogger },
    { createGatewayServer },
    { buildServices },
    { startTracing },
  ] = await Promise.all([
    import('pino'),
    import('./observability/logger.js'),
    import('./server.js'),
    import('./services.js'),
    import('./observability/tracing.js'),
  ]);
  // Asynchronous, batched stdout (4 KiB writes instead of one syscall per line: per-line writes
  // cost more CPU than the rest of a request); flushed every 250 ms by the destination itself
  // (`logger.flush()` would also fsync stdout each time) and on shutdown.
  const logger = createLogger(
    config.logLevel,
    pino.destination({ dest: 1, sync: false, minLength: 4096, periodicFlush: 250 }),
  );
  let services: Awaited<ReturnType<typeof buildServices>>;
  try {
    services = await buildServices(config, logger);
  } catch (error) {
    logger.fatal({ err: error }, 'cannot start the core services (check DATABASE_URL)');
    logger.flush();
    process.exitCode = 1;
    return;
  }
  const { service } = services;
  const gateway = createGatewayServer({
    config,
    service,
    templates: services.templates,
    usage: services.usage,
    sharedStats: services.sharedStats,
    keys: services.keys,
    requestLog: services.requestLog,
    tracing: await startTracing(logger),
    logger,
    closeServices: services.close,
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'signal received');
    gateway
      .shutdown()
      .catch((error: unknown) => logger.error({ err: error }, 'shutdown failed'))
      .finally(() => {
        logger.flush(() => process.exit(0));
      });
  };
  // `on`, not `once`: node-llama-cpp loads signal-exit@3, which re-raises a signal when it sees
  // no other listener left — with `once` that killed the process mid-shutdown.
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  try {
    const url = await gateway.listen();
    releaseYoungGeneration();
    logger.info(
      {
        url,
        upstreams: service.pool.health().map((u) => u.id),
        defaultChatModel: config.defaultChatModel,
        auth: config.apiKeys.length + config.adminApiKeys.length > 0 ? 'api-keys' : 'open',
      },
      `intelliCore LLM Gateway listening on ${url}`,
    );
  } catch (error) {
    logger.fatal({ err: error }, `cannot listen on ${config.host}:${config.port}`);
    logger.flush();
    await services.close().catch(() => undefined);
    process.exitCode = 1;
  }
}

void main();
