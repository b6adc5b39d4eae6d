import { router } from '../trpc.js';
import { createChatRouter } from './chat.js';
import type { RouterDeps } from './deps.js';
import { createHealthRouter } from './health.js';
import { createKeysRouter } from './keys.js';
import { createModelsRouter } from './models.js';
import { createRequestsRouter } from './requests.js';
import { createTemplatesRouter } from './templates.js';
import { createUsageRouter } from './usage.js';

/**
 * The whole tRPC API. New areas (e.g. usage) add one line here with their own file.
 * Routers are built per gateway from its services; `AppRouter` is the type clients import.
 */
export function createAppRouter(deps: RouterDeps) {
  return router({
    health: createHealthRouter(deps),
    models: createModelsRouter(deps),
    chat: createChatRouter(deps),
    templates: createTemplatesRouter(deps),
    usage: createUsageRouter(deps),
    keys: createKeysRouter(deps),
    requests: createRequestsRouter(deps),
  });
}

export type AppRouter = ReturnType<typeof createAppRouter>;
export type { RouterDeps };
