/** Catalogue operations of the service: list, show, running, pull, delete, all behind the policy;
 * pull and delete need the admin scope. */
import { GatewayError } from '../errors.js';
import { canonicalModelName } from '../policy/model-names.js';
import type { ModelPolicy } from '../policy/model-policy.js';
import type { Provider } from '../providers/provider.js';
import { routedCall } from '../routing/routed-call.js';
import type { UpstreamPool } from '../routing/upstream-pool.js';
import type { ModelShow, PullProgress } from '../types.js';
import { requireAdmin } from './authorization.js';
import type { RequestContext } from './context.js';
import type { CatalogueModel, RunningCatalogueModel } from './gateway-service.js';
import { keyAllows } from './key-models.js';
import { createSharedPulls } from './shared-pull.js';

export function createModelOperations(pool: UpstreamPool, policy: ModelPolicy) {
  /** Pulls go to an Ollama upstream that already has the model (an update), else the first healthy one. */
  const pullTarget = (model: string): Provider => {
    const canPull = (p: Provider) => p.kind === 'ollama';
    const target = pool.healthy(model).find(canPull) ?? pool.healthy().find(canPull);
    if (!target) throw new GatewayError('UPSTREAM_UNAVAILABLE', 'No upstream can pull models');
    return target;
  };
  const pulls = createSharedPulls(
    async function* (model, signal) {
      await pool.ready(); // the first call after start-up must not find "no healthy upstream"
      yield* pullTarget(model).pull(model, { signal });
    },
    () => pool.refresh(),
  );

  return {
    pulls,

    /** The catalogue as this caller may use it: the gateway's allow-list, then the key's. */
    async listModels(ctx: RequestContext): Promise<CatalogueModel[]> {
      await pool.ready();
      return pool
        .catalogue()
        .filter((m) => policy.isAllowed(m.name) && keyAllows(ctx.caller, m.name));
    },

    async showModel(name: string, ctx: RequestContext): Promise<ModelShow> {
      const model = policy.resolve(name, 'manage', 'name');
      return routedCall(pool, model, (p) => p.show(model, { signal: ctx.signal }), {
        signal: ctx.signal,
      });
    },

    async runningModels(ctx: RequestContext): Promise<RunningCatalogueModel[]> {
      await pool.ready();
      const lists = await Promise.allSettled(
        pool.healthy().map(async (p) => {
          const running = await p.running({ signal: ctx.signal });
          return running.map((m) => ({ ...m, upstream: p.id }));
        }),
      );
      return lists
        .flatMap((r) => (r.status === 'fulfilled' ? r.value : []))
        .filter((m) => policy.isAllowed(m.name));
    },

    pullModel(name: string, ctx: RequestContext): AsyncIterable<PullProgress> {
      return {
        [Symbol.asyncIterator]: () => {
          // Checked when iteration starts, like every other lazy stream: scope, then policy.
          requireAdmin(ctx.caller, 'models.pull');
          const model = policy.resolve(name, 'manage', 'name');
          return pulls.pull(canonicalModelName(model), ctx.signal);
        },
      };
    },

    async deleteModel(name: string, ctx: RequestContext): Promise<void> {
      requireAdmin(ctx.caller, 'models.delete');
      const model = policy.resolve(name, 'manage', 'name');
      await pool.ready();
      const holders = pool.healthy(model);
      // None up: UPSTREAM_UNAVAILABLE when one that is down has it, else MODEL_NOT_FOUND.
      if (holders.length === 0) throw pool.noRoute(model);
      try {
        await Promise.all(holders.map((p) => p.delete(model, { signal: ctx.signal })));
      } finally {
        await pool.refresh();
      }
    },
  };
}
