import { liveOutputSchema, readyOutputSchema } from '../schemas/index.js';
import { publicProcedure, router } from '../trpc.js';
import type { RouterDeps } from './deps.js';
import { readiness } from './readiness.js';

export function createHealthRouter(deps: RouterDeps) {
  return router({
    /** Liveness: the process answers. Never touches upstreams. */
    live: publicProcedure.output(liveOutputSchema).query(() => ({
      status: 'ok' as const,
      version: deps.state.version,
      uptimeSeconds: Math.round((Date.now() - deps.state.startedAt) / 1000),
      authRequired: deps.state.authRequired,
    })),
    /**
     * Readiness: an upstream is usable, the store is up and the gateway is not shutting down.
     * Without a valid key: `{ ready, shuttingDown }` only; details by scope (see readiness.ts).
     */
    ready: publicProcedure
      .output(readyOutputSchema)
      .query(({ ctx }) => readiness(deps, ctx.caller)),
  });
}
