// Public surface of @intellicore/llm-gateway.

export { ApiKeyAuth, type Caller, keyIdOf } from './auth.js';
export {
  ConfigError,
  DEFAULT_ALLOWED_MODELS,
  DEMO_MODEL,
  type GatewayConfig,
  loadConfig,
} from './config.js';
export { createFetchHandler, type FetchHandler, type FetchHandlerOptions } from './fetch.js';
export { createLogger } from './observability/logger.js';
export type { GatewayMetrics } from './observability/metrics.js';
export { type AppRouter, createAppRouter, type RouterDeps } from './routers/app.js';
export * from './schemas/index.js';
export {
  createGatewayServer,
  type GatewayServer,
  type GatewayServerOptions,
} from './server.js';
export { buildServices, type GatewayServices } from './services.js';
export { type StartedGateway, type StartGatewayOptions, startGateway } from './start.js';
export { startTestGateway, type TestGateway, type TestGatewayOptions } from './testing.js';
export { type ProcedureMeta, plainJson, type TrpcContext } from './trpc.js';
