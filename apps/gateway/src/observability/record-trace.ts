import type { Caller, RequestTrace, TimelineStep } from '@intellicore/llm-core';
import type { RequestRecord } from './request-record.js';

/** ms since the request arrived, to the µs. */
export const offsetOf = (record: RequestRecord) =>
  Math.round((performance.now() - record.startedAt) * 1000) / 1000;

function timelineOf(record: RequestRecord): TimelineStep[] {
  record.timeline ??= [];
  return record.timeline;
}

/**
 * The request's trace as core sees it (RequestContext.trace): each phase lands in the record's
 * timeline (the request log) and, when tracing is on, becomes a child span of the request's
 * server span. One per record; a few small objects per request, nothing else.
 */
export function traceOf(record: RequestRecord, caller: Caller): RequestTrace {
  if (caller.keyId !== null) record.keyName ??= caller.name ?? caller.keyId;
  record.trace ??= {
    begin(start) {
      record.operation = start.operation;
      record.requestedModel = start.model;
      if (start.temperature !== undefined) record.temperature = start.temperature;
      if (start.maxTokens !== undefined) record.maxTokens = start.maxTokens;
      if (start.template !== undefined) record.template = start.template;
    },
    phase(name, detail) {
      const step: TimelineStep = { name, startMs: offsetOf(record) };
      if (detail !== undefined) step.detail = detail;
      // A failed request still says which upstream it reached (the answer names it on success).
      if (name === 'upstream' && detail !== undefined) record.upstream = detail;
      timelineOf(record).push(step);
      const span = record.span?.child(name, detail);
      let ended = false;
      return (outcome) => {
        if (ended) return;
        ended = true;
        step.endMs = offsetOf(record);
        if (outcome?.error !== undefined) step.error = outcome.error;
        if (outcome?.hit !== undefined) step.detail = outcome.hit ? 'hit' : 'miss';
        span?.end(outcome);
      };
    },
    firstToken() {
      timelineOf(record).push({ name: 'first_token', startMs: offsetOf(record) });
      record.span?.event('gen_ai.first_token');
    },
    upstreamHeaders: () => record.span?.outgoingHeaders(),
  };
  return record.trace;
}
