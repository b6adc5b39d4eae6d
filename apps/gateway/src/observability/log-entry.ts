import type { RequestLogEntry } from '@intellicore/llm-core';
import type { RequestRecord } from './request-record.js';
import { doorOf } from './span-attributes.js';

/** Procedures (tRPC, and the REST front through them) that call a model. */
const MODEL_PROCEDURES = new Set([
  'chat.completion',
  'chat.stream',
  'chat.generate',
  'chat.generateStream',
  'chat.embed',
  'chat.embedBatch',
  'templates.renderAndChat',
  'templates.renderAndChatStream',
]);

/** Compat routes that call a model. */
const MODEL_ROUTES = new Set([
  '/v1/chat/completions',
  '/v1/responses',
  '/v1/completions',
  '/v1/embeddings',
  '/v1/messages',
  '/api/chat',
  '/api/generate',
  '/api/embed',
  '/api/embeddings',
]);

/**
 * Whether a request belongs in the request log: it reached a model, or it was a model call
 * refused before (bad input, unknown model, rate limit…). Health probes, model lists, docs and
 * the playground's own polling stay out.
 */
export function isModelCall(record: RequestRecord): boolean {
  if (record.operation !== undefined) return true;
  if (record.procedure !== undefined) return MODEL_PROCEDURES.has(record.procedure);
  return MODEL_ROUTES.has(record.route);
}

const round = (n: number) => Math.round(n * 1000) / 1000;

/** The request log's entry of a finished request (prompt and answer only when recorded). */
export function toLogEntry(
  record: RequestRecord,
  status: number,
  durationMs: number,
  at: number,
): RequestLogEntry {
  const door = doorOf(record.route);
  const timeline = record.timeline ?? [];
  timeline.push({ name: 'done', startMs: round(durationMs) });
  const entry: RequestLogEntry = {
    id: record.id,
    at: new Date(at).toISOString(),
    door: door === 'http' ? 'trpc' : door,
    route: record.route,
    keyId: record.keyId ?? null,
    status,
    stream: record.stream === true,
    durationMs: round(durationMs),
    cached: record.cached === true,
    timeline,
  };
  if (record.operation !== undefined) entry.operation = record.operation;
  const keyName = record.keyName ?? record.keyId ?? undefined;
  if (keyName) entry.keyName = keyName;
  const asked = record.requestedModel ?? record.model;
  if (asked !== undefined) entry.model = asked;
  // A failed request was served by no model (doors may note the one asked for in `model`).
  if (record.model !== undefined && record.code === undefined) entry.servedModel = record.model;
  if (record.upstream !== undefined) entry.upstream = record.upstream;
  if (record.code !== undefined) entry.code = record.code;
  if (record.promptTokens !== undefined) entry.promptTokens = record.promptTokens;
  if (record.completionTokens !== undefined) entry.completionTokens = record.completionTokens;
  if (record.ttftMs !== undefined) entry.ttftMs = round(record.ttftMs);
  if (record.template !== undefined) entry.template = record.template;
  if (record.span !== undefined) entry.traceId = record.span.traceId;
  // Present only with LOG_PROMPTS=true (the doors fill them only then).
  if (record.prompt !== undefined) entry.prompt = record.prompt;
  if (record.completion !== undefined) entry.completion = record.completion;
  return entry;
}
