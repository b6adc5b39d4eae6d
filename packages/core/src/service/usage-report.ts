/** The usage summary as callers get it: admin scope only, since it spans every key. */
import { badRequest } from '../errors.js';
import type {
  UsageStore,
  UsageSummaryQuery,
  UsageSummaryRow,
} from '../stores/usage/usage-store.js';
import { requireAdmin } from './authorization.js';
import type { RequestContext } from './context.js';

/** `nameOf`: a stored key's name by its id; rows grouped by key then carry `name`. */
export async function usageSummary(
  store: UsageStore,
  query: UsageSummaryQuery,
  ctx: RequestContext,
  nameOf?: (keyId: string) => string | undefined,
): Promise<UsageSummaryRow[]> {
  requireAdmin(ctx.caller, 'usage.summary');
  if (query.from && query.to && query.from > query.to) {
    throw badRequest([{ path: 'from', message: 'must not be after `to`' }]);
  }
  const rows = await store.summary(query);
  if (query.groupBy !== 'key' || !nameOf) return rows;
  return rows.map((row) => ({
    ...row,
    name: row.group === null ? null : (nameOf(row.group) ?? null),
  }));
}
