/** The usage summary as callers get it: admin scope only, since it spans every key. */
import { badRequest } from '../errors.js';
import type { KeyDirectory } from '../keys/key-directory.js';
import type {
  UsageStore,
  UsageSummaryQuery,
  UsageSummaryRow,
} from '../stores/usage/usage-store.js';
import { requireAdmin } from './authorization.js';
import type { RequestContext } from './context.js';

/** `keys`: the stored keys (their directory); rows grouped by key then carry the key's `name`. */
export async function usageSummary(
  store: UsageStore,
  query: UsageSummaryQuery,
  ctx: RequestContext,
  keys?: Pick<KeyDirectory, 'nameOf'>,
): Promise<UsageSummaryRow[]> {
  requireAdmin(ctx.caller, 'usage.summary');
  if (query.from && query.to && query.from > query.to) {
    throw badRequest([{ path: 'from', message: 'must not be after `to`' }]);
  }
  const rows = await store.summary(query);
  if (query.groupBy !== 'key' || !keys) return rows;
  return rows.map((row) => ({
    ...row,
    name: row.group === null ? null : (keys.nameOf(row.group) ?? null),
  }));
}
