import type { Door } from '../../service/context.js';
import type { Operation } from '../../service/hooks.js';

/** One step of a request, as ms offsets from its arrival (open `endMs`: it never ended). */
export interface TimelineStep {
  /** `rate_limit`, `cache`, `queue`, `upstream`, `first_token` or `done`. */
  name: string;
  startMs: number;
  endMs?: number;
  /** The upstream of an `upstream` step; `hit`/`miss` of a `cache` step. */
  detail?: string;
  /** The gateway error code a step failed with. */
  error?: string;
}

/** One request as the request log keeps it. Never holds a key's secret. */
export interface RequestLogEntry {
  /** The request id (`x-request-id`). */
  id: string;
  /** Arrival, ISO 8601. */
  at: string;
  door: Door;
  /** The route (`/v1/chat/completions`, `trpc:chat.stream`, …). */
  route: string;
  operation?: Operation;
  keyId: string | null;
  /** The key's display name (stored keys), else its id. */
  keyName?: string;
  /** The model asked for (after aliases and defaults). */
  model?: string;
  /** The model that answered. */
  servedModel?: string;
  upstream?: string;
  status: number;
  /** Gateway error code of a failed request. */
  code?: string;
  stream: boolean;
  promptTokens?: number;
  completionTokens?: number;
  ttftMs?: number;
  durationMs: number;
  cached: boolean;
  /** `id@version` of the stored template rendered. */
  template?: string;
  /** The W3C trace id when tracing is on. */
  traceId?: string;
  timeline: TimelineStep[];
  /** Only with LOG_PROMPTS=true. */
  prompt?: unknown;
  completion?: string;
}

export interface RequestLogQuery {
  model?: string | undefined;
  /** A key's name or id. */
  key?: string | undefined;
  /** A gateway error code, or `ok` for requests that succeeded. */
  code?: string | undefined;
  door?: Door | undefined;
  since?: Date | undefined;
  until?: Date | undefined;
  /** From a previous page's `nextCursor`. */
  cursor?: string | undefined;
  /** Page size (default 50, at most 500). */
  limit?: number | undefined;
}

export interface RequestLogPage {
  /** Newest first. */
  items: RequestLogEntry[];
  nextCursor?: string;
}

/** Where request log entries are kept (a ring in memory, or a store shared by replicas). */
export interface RequestLogBackend {
  add(entry: RequestLogEntry): void;
  list(query: RequestLogQuery): Promise<RequestLogPage>;
  get(id: string): Promise<RequestLogEntry | undefined>;
  close(): Promise<void>;
}

export const DEFAULT_PAGE = 50;
export const MAX_PAGE = 500;

export function pageSize(query: RequestLogQuery): number {
  return Math.min(Math.max(1, Math.floor(query.limit ?? DEFAULT_PAGE)), MAX_PAGE);
}

/** Whether an entry matches a query's filters (not the cursor). */
export function matches(entry: RequestLogEntry, query: RequestLogQuery): boolean {
  if (
    query.model !== undefined &&
    entry.model !== query.model &&
    entry.servedModel !== query.model
  ) {
    return false;
  }
  if (query.key !== undefined && entry.keyName !== query.key && entry.keyId !== query.key) {
    return false;
  }
  if (query.code !== undefined && (entry.code ?? 'ok') !== query.code) return false;
  if (query.door !== undefined && entry.door !== query.door) return false;
  if (query.since || query.until) {
    const at = Date.parse(entry.at);
    if (query.since && at < query.since.getTime()) return false;
    if (query.until && at >= query.until.getTime()) return false;
  }
  return true;
}
