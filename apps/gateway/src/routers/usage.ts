import { type UsageStore, usageSummary } from '@intellicore/llm-core';
import { usageSummaryInputSchema, usageSummaryOutputSchema } from '../schemas/index.js';
import { adminProcedure, router } from '../trpc.js';
import { configured, coreContext, type RouterDeps } from './deps.js';

const usageOf = (deps: RouterDeps): UsageStore =>
  configured(deps.usage, 'Usage records are not configured');

/** Usage analytics over the records every request writes (admin only: it spans all keys; core
 * refuses a non-admin caller itself, adminProcedure is the first line). */
export function createUsageRouter(deps: RouterDeps) {
  return router({
    /** Totals per key, model, template@version or UTC day between `from` and `to`. */
    summary: adminProcedure
      .input(usageSummaryInputSchema)
      .output(usageSummaryOutputSchema)
      .query(async ({ input, ctx, signal }) => {
        const query = {
          groupBy: input.groupBy,
          ...(input.from === undefined ? {} : { from: new Date(input.from) }),
          ...(input.to === undefined ? {} : { to: new Date(input.to) }),
        };
        const context = coreContext(ctx, signal);
        const rows = await usageSummary(usageOf(deps), query, context, deps.keys?.directory);
        return { groupBy: input.groupBy, rows };
      }),
  });
}
