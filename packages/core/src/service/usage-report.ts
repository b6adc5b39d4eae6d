/** The usage summary as callers get it: admin scope only, since it spans every key. */
import { badRequest } from '../errors.js';
import type {
  UsageStore,
  UsageSummaryQuery,
  UsageSummaryRow,
} from '../stores/usage/usage-store.js';
import { requireAdmin } from './authorization.js';
import type { RequestContext } from './context.js';

export async function usageSummary(
  store: UsageStore,
  query: UsageSummaryQuery,
  ctx: RequestContext,
): Promise<UsageSummaryRow[]> {
  requireAdmin(ctx.caller, 'usage.summary');
  if (query.from && query.to && query.from > query.to) {
    throw badRequest([{ path: 'from', message: 'must not be after `to`' }]);
  }
  return store.summary(query);
}
