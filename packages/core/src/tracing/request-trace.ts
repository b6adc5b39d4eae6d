/**
 * What the pipeline tells the transport about one request as it runs: the phases it goes
 * through (rate limit, cache lookup, waiting for an upstream slot, the upstream call) and the
 * first token. The gateway turns these into the request log's timeline and, when tracing is on,
 * into OpenTelemetry spans; core knows neither. Absent on a context → nothing is called.
 */
export type TracePhase = 'rate_limit' | 'cache' | 'queue' | 'upstream';

export interface TraceStart {
  /** As in usage records (`Operation`), spelled out here: this module sits below the service. */
  operation: 'chat' | 'generate' | 'embed';
  /** The model after alias resolution and defaults (what was asked for). */
  model: string;
  temperature?: number;
  maxTokens?: number;
  /** `id@version` when the request renders a stored template. */
  template?: string;
}

export interface PhaseOutcome {
  /** Gateway error code when the phase failed. */
  error?: string;
  /** Cache phase: whether an answer was found. */
  hit?: boolean;
}

/** Ends a phase; call once. */
export type PhaseEnd = (outcome?: PhaseOutcome) => void;

export interface RequestTrace {
  /** The request as core resolved it; once, before any phase. */
  begin(start: TraceStart): void;
  /** A phase starts (`upstream`: the upstream's name in `detail`); the result ends it. */
  phase(name: TracePhase, detail?: string): PhaseEnd;
  /** The first token (or the whole answer of a non-streamed call) is there. */
  firstToken(): void;
  /**
   * Headers to send with the upstream call now in progress (W3C `traceparent`), or undefined
   * when nothing is traced: the upstream continues the caller's trace.
   */
  upstreamHeaders(): Record<string, string> | undefined;
}
