import type { RouterOutputs } from '@intellicore/llm-client';
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../api/trpc.js';

export type UsageGroupBy = 'key' | 'model' | 'template' | 'day';

/** One row of `usage.summary`: totals of one key, model, template@version or UTC day. */
export type UsageRow = RouterOutputs['usage']['summary']['rows'][number];

/** A row's label: a stored key's name (with its id), else the group itself. */
export function labelOf(row: UsageRow): string {
  if (row.name) return `${row.name} (${row.group})`;
  return row.group ?? '(none)';
}

/**
 * `usage.summary` (admin) for `[from, to)`. A gateway without usage analytics answers tRPC's
 * NOT_FOUND for the path; the page shows that as "usage not available" (isMissingProcedure).
 */
export function useUsage(groupBy: UsageGroupBy, from: Date, to: Date) {
  const trpc = useTRPC();
  return useQuery(
    trpc.usage.summary.queryOptions({ from, to, groupBy }, { select: (s) => s.rows }),
  );
}
