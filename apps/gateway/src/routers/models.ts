import {
  allowedModelsSchema,
  catalogueModelSchema,
  deleteOutputSchema,
  modelNameInputSchema,
  modelShowSchema,
  type PullProgressOutput,
  runningModelSchema,
} from '../schemas/index.js';
import { adminProcedure, asTrpcError, authedProcedure, router, type TrpcContext } from '../trpc.js';
import { coreContext, type RouterDeps } from './deps.js';

export function createModelsRouter(deps: RouterDeps) {
  const { service } = deps;
  return router({
    /** The catalogue: allowed models over healthy upstreams, with who has / has loaded them. */
    list: authedProcedure
      .output(catalogueModelSchema.array())
      .query(({ ctx, signal }) => service.listModels(coreContext(ctx, signal))),

    get: authedProcedure
      .input(modelNameInputSchema)
      .output(modelShowSchema)
      .query(async ({ input, ctx, signal }) => {
        ctx.record.model = input.name;
        const show = await service.showModel(input.name, coreContext(ctx, signal));
        return { ...show, name: input.name };
      }),

    running: authedProcedure
      .output(runningModelSchema.array())
      .query(({ ctx, signal }) => service.runningModels(coreContext(ctx, signal))),

    allowed: authedProcedure.output(allowedModelsSchema).query(() => service.allowedModels()),

    /**
     * Progress of a pull (admin). Events are not tracked: a reconnect simply re-attaches, and
     * core shares one upstream pull among concurrent callers, so nothing is downloaded twice.
     */
    pull: adminProcedure
      .input(modelNameInputSchema)
      .subscription(({ input, ctx, signal }) => pullEvents(deps, input.name, ctx, signal)),

    delete: adminProcedure
      .input(modelNameInputSchema)
      .output(deleteOutputSchema)
      .mutation(async ({ input, ctx, signal }) => {
        ctx.record.model = input.name;
        await service.deleteModel(input.name, coreContext(ctx, signal));
        return { name: input.name, deleted: true as const };
      }),
  });
}

async function* pullEvents(
  deps: RouterDeps,
  name: string,
  ctx: TrpcContext,
  signal: AbortSignal | undefined,
): AsyncGenerator<PullProgressOutput> {
  ctx.record.model = name;
  ctx.record.stream = true;
  try {
    for await (const progress of deps.service.pullModel(name, coreContext(ctx, signal))) {
      yield progress;
    }
  } catch (error) {
    throw asTrpcError(error);
  }
}
