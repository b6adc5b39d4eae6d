import { type Caller, healthView } from '@intellicore/llm-core';
import type { ReadyOutput } from '../schemas/index.js';
import type { RouterDeps } from './deps.js';

/**
 * Shared by `health.ready` and `GET /readyz`. `viewer` is the caller of a valid key, or null:
 * what each may see is core's rule (`healthView`): readiness alone for anonymous probes.
 */
export async function readiness(
  deps: Pick<RouterDeps, 'service' | 'state'>,
  viewer: Caller | null,
): Promise<ReadyOutput> {
  const view = healthView(await deps.service.health(), viewer);
  const shuttingDown = deps.state.shuttingDown;
  return { ...view, ready: view.ready && !shuttingDown, shuttingDown };
}
