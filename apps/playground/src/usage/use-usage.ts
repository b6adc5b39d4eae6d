import { useQuery } from '@tanstack/react-query';
import { useTRPCClient } from '../api/trpc.js';

export type UsageGroupBy = 'key' | 'model' | 'template' | 'day';

/** One row of `usage.summary` (core's UsageSummaryRow). */
export interface UsageRow {
  group: string | null;
  requests: number;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  cachedRequests: number;
  errorRequests: number;
  avgDurationMs: number;
  avgTtftMs: number | null;
}

interface UsageApi {
  usage: {
    summary: {
      query(input: { from?: Date; to?: Date; groupBy: UsageGroupBy }): Promise<unknown>;
    };
  };
}

/**
 * `usage.summary`, called through the untyped path on purpose: the page must also work against
 * a gateway without usage analytics (it then shows "usage not available" instead of failing to
 * build). Accepts the rows as an array or as `{ rows }`.
 */
export function useUsage(groupBy: UsageGroupBy, from: Date, to: Date) {
  const client = useTRPCClient() as unknown as UsageApi;
  return useQuery({
    queryKey: ['usage.summary', groupBy, from.toISOString(), to.toISOString()],
    queryFn: async (): Promise<UsageRow[]> => {
      const out = await client.usage.summary.query({ from, to, groupBy });
      if (Array.isArray(out)) return out as UsageRow[];
      const rows = (out as { rows?: unknown } | null)?.rows;
      return Array.isArray(rows) ? (rows as UsageRow[]) : [];
    },
  });
}
