import type { RequestTrace } from './request-trace.js';

/**
 * One trace standing for several: a micro-batched embeddings call serves many callers with one
 * upstream request, so each caller's timeline and spans get the batch's queue and upstream
 * phases. The upstream request carries the first caller's trace context (one HTTP request has
 * one `traceparent`); the others see the same phase as a span of their own.
 */
export function fanOutTrace(traces: readonly RequestTrace[]): RequestTrace | undefined {
  if (traces.length <= 1) return traces[0];
  return {
    begin: (start) => {
      for (const t of traces) t.begin(start);
    },
    phase: (name, detail) => {
      const ends = traces.map((t) => t.phase(name, detail));
      return (outcome) => {
        for (const end of ends) end(outcome);
      };
    },
    firstToken: () => {
      for (const t of traces) t.firstToken();
    },
    upstreamHeaders: () => traces[0]?.upstreamHeaders(),
  };
}
