import type { ReadyOutput } from '../schemas/index.js';
import type { RouterDeps } from './deps.js';

/** Shared by `health.ready` and `GET /readyz`. */
export async function readiness(deps: Pick<RouterDeps, 'service' | 'state'>): Promise<ReadyOutput> {
  const report = await deps.service.health();
  const shuttingDown = deps.state.shuttingDown;
  return {
    ready: report.ready && !shuttingDown,
    shuttingDown,
    upstreams: report.upstreams,
    store: report.store,
  };
}
