import type { UsageRecord } from '../../service/hooks.js';

export type UsageGroupBy = 'key' | 'model' | 'template' | 'day';

export interface UsageSummaryQuery {
  /** Inclusive lower bound; open when absent. */
  from?: Date;
  /** Exclusive upper bound; open when absent. */
  to?: Date;
  groupBy: UsageGroupBy;
}

export interface UsageSummaryRow {
  /**
   * The group's value: API key id, model name, `templateId@version` or UTC day `YYYY-MM-DD`.
   * null for anonymous callers (key) or requests without a template (template).
   */
  group: string | null;
  /** Grouped by key: the stored key's name (null for env keys and anonymous callers). */
  name?: string | null;
  requests: number;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  cachedRequests: number;
  /** Requests whose status is not `ok`. */
  errorRequests: number;
  avgDurationMs: number;
  /** Over the requests that report a TTFT; null when none does. */
  avgTtftMs: number | null;
}

/** Where usage records live: SQLite by default, PostgreSQL in production. */
export interface UsageStore {
  readonly kind: 'sqlite' | 'postgres';
  /** Creates or upgrades the tables; idempotent, safe when several replicas start at once. */
  migrate(): Promise<void>;
  /** Writes a batch in one statement/transaction. */
  insert(records: readonly UsageRecord[]): Promise<void>;
  /** Totals per group, groups in ascending order (null group last). */
  summary(query: UsageSummaryQuery): Promise<UsageSummaryRow[]>;
  /** Resolves when the store answers a trivial query (readiness); rejects otherwise. */
  ping(): Promise<void>;
  /** Idempotent. */
  close(): Promise<void>;
}

/** Columns in insert order, shared by both dialects. */
export const USAGE_COLUMNS = [
  'at',
  'request_id',
  'key_id',
  'door',
  'operation',
  'model',
  'upstream',
  'template_id',
  'template_version',
  'prompt_tokens',
  'completion_tokens',
  'ttft_ms',
  'duration_ms',
  'status',
  'cached',
] as const;

/** A record as column values (time and boolean encoded by the dialect). */
export function usageRow(
  r: UsageRecord,
  encodeAt: (at: Date) => unknown,
  encodeBool: (b: boolean) => unknown,
): unknown[] {
  return [
    encodeAt(r.at),
    r.requestId ?? null,
    r.keyId,
    r.door,
    r.operation,
    r.model,
    r.upstream ?? null,
    r.templateId ?? null,
    r.templateVersion ?? null,
    r.promptTokens,
    r.completionTokens,
    r.ttftMs ?? null,
    r.durationMs,
    r.status,
    encodeBool(r.cached),
  ];
}

/** The SQL expression each grouping selects; `day` is dialect-specific. */
export function groupExpression(groupBy: UsageGroupBy, dayExpression: string): string {
  switch (groupBy) {
    case 'key':
      return 'key_id';
    case 'model':
      return 'model';
    case 'template':
      return "template_id || '@' || template_version";
    case 'day':
      return dayExpression;
  }
}

/** The aggregate columns, same SQL in both dialects. */
export const SUMMARY_AGGREGATES = `
  COUNT(*) AS requests,
  COALESCE(SUM(prompt_tokens), 0) AS prompt_tokens,
  COALESCE(SUM(completion_tokens), 0) AS completion_tokens,
  SUM(CASE WHEN cached THEN 1 ELSE 0 END) AS cached_requests,
  SUM(CASE WHEN status <> 'ok' THEN 1 ELSE 0 END) AS error_requests,
  AVG(duration_ms) AS avg_duration_ms,
  AVG(ttft_ms) AS avg_ttft_ms`;

export function toSummaryRow(row: Record<string, unknown>): UsageSummaryRow {
  const n = (v: unknown) => Number(v ?? 0);
  const promptTokens = n(row.prompt_tokens);
  const completionTokens = n(row.completion_tokens);
  return {
    group: row.grp === null || row.grp === undefined ? null : String(row.grp),
    requests: n(row.requests),
    promptTokens,
    completionTokens,
    totalTokens: promptTokens + completionTokens,
    cachedRequests: n(row.cached_requests),
    errorRequests: n(row.error_requests),
    avgDurationMs: n(row.avg_duration_ms),
    avgTtftMs:
      row.avg_ttft_ms === null || row.avg_ttft_ms === undefined ? null : n(row.avg_ttft_ms),
  };
}
