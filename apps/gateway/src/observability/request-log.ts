import type { RequestLogBackend } from '@intellicore/llm-core';
import type { Logger } from 'pino';
import { isModelCall, toLogEntry } from './log-entry.js';
import type { GatewayMetrics } from './metrics.js';
import type { RequestRecord } from './request-record.js';

/** Where a finished request goes besides the log line and metrics. */
export interface RequestSinks {
  requestLog?: RequestLogBackend | undefined;
  /** Prompts and answers become span events (LOG_PROMPTS). */
  logPrompts: boolean;
}

/**
 * Ends a request's observation: ONE log line (info; warn for 5xx) and the request metrics.
 * Called once per request when its response closes (streams: when the stream ends).
 */
export function finishRequest(
  record: RequestRecord,
  status: number,
  logger: Logger,
  metrics: GatewayMetrics,
  sinks?: RequestSinks,
): void {
  const durationMs = performance.now() - record.startedAt;
  if (sinks) {
    if (isModelCall(record)) {
      sinks.requestLog?.add(toLogEntry(record, status, durationMs, Date.now() - durationMs));
    }
    record.span?.end(record, status, sinks.logPrompts);
  }
  const label = record.code ?? status;
  metrics.observeRequest(record.route, label, durationMs / 1000);
  if (record.model) {
    if (record.ttftMs !== undefined) metrics.observeTtft(record.model, record.ttftMs / 1000);
    if (record.promptTokens !== undefined || record.completionTokens !== undefined) {
      metrics.observeTokens(record.model, record.promptTokens ?? 0, record.completionTokens ?? 0);
    }
  }
  const level = status >= 500 || (record.code !== undefined && status < 400) ? 'warn' : 'info';
  if (!logger.isLevelEnabled(level)) return;
  const line: Record<string, unknown> = {
    reqId: record.id,
    method: record.method,
    route: record.route,
    status,
    durationMs: Math.round(durationMs * 1000) / 1000,
  };
  if (record.procedure !== undefined) line.procedure = record.procedure;
  if (record.code !== undefined) line.code = record.code;
  if (record.keyId) line.keyId = record.keyId;
  if (record.model !== undefined) line.model = record.model;
  if (record.upstream !== undefined) line.upstream = record.upstream;
  if (record.stream) line.stream = true;
  if (record.cached) line.cached = true;
  if (record.ttftMs !== undefined) line.ttftMs = Math.round(record.ttftMs * 1000) / 1000;
  if (record.promptTokens !== undefined) line.promptTokens = record.promptTokens;
  if (record.completionTokens !== undefined) line.completionTokens = record.completionTokens;
  // Only present when LOG_PROMPTS=true (the routes do not fill them otherwise).
  if (record.prompt !== undefined) line.prompt = record.prompt;
  if (record.completion !== undefined) line.completion = record.completion;
  logger[level](line, 'request');
}
