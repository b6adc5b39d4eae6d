import type { IncomingHttpHeaders } from 'node:http';
import type { PhaseOutcome } from '@intellicore/llm-core';
import type { Context, Span } from '@opentelemetry/api';
import type { Logger } from 'pino';
import type { RequestRecord } from './request-record.js';
import { spanAttributes, spanName } from './span-attributes.js';

/**
 * OpenTelemetry traces, configured by the standard OTEL_* variables only. Off unless
 * OTEL_TRACES_EXPORTER or OTEL_EXPORTER_OTLP(_TRACES)_ENDPOINT is set: then no OpenTelemetry
 * module is even loaded (they are imported here, dynamically), and requests carry no span.
 * No global context manager is installed: spans are parented explicitly (server span → child
 * spans), which costs nothing per await.
 */
export interface Tracing {
  /** The server span of one request, continuing an incoming W3C `traceparent`. */
  startRequest(headers: IncomingHttpHeaders, record: RequestRecord): RequestSpan;
  /** Exports what is pending and stops. */
  shutdown(): Promise<void>;
}

export interface RequestSpan {
  readonly traceId: string;
  /** A child span for a phase (`upstream`: a client span naming the upstream). */
  child(name: string, detail?: string): { end(outcome?: PhaseOutcome): void };
  /** Plain values, not OTel's `Attributes`: this interface reaches the SDK's declarations (through
   * the tRPC context), which must not need `@opentelemetry/api`. */
  event(name: string, attributes?: Record<string, string | number | boolean>): void;
  /** `traceparent` (and `tracestate`) of the upstream call in progress, for its request. */
  outgoingHeaders(): Record<string, string>;
  /** Sets the request's attributes and status from its record, and ends the span. */
  end(record: RequestRecord, status: number, logPrompts: boolean): void;
}

type Env = Record<string, string | undefined>;

/** Whether the OTEL_* variables ask for traces (OTEL_SDK_DISABLED=true wins). */
export function tracingWanted(env: Env = process.env): boolean {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false;
  const exporter = env.OTEL_TRACES_EXPORTER?.trim();
  if (exporter) return exporter !== 'none';
  return Boolean(
    env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim(),
  );
}

/** Starts the SDK when the environment asks for traces; undefined otherwise. */
export async function startTracing(
  logger: Logger,
  env: Env = process.env,
): Promise<Tracing | undefined> {
  if (!tracingWanted(env)) return undefined;
  const [api, base, core, resources] = await Promise.all([
    import('@opentelemetry/api'),
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/core'),
    import('@opentelemetry/resources'),
  ]);
  const kind = env.OTEL_TRACES_EXPORTER?.trim() || 'otlp';
  let exporter: import('@opentelemetry/sdk-trace-base').SpanExporter;
  if (kind === 'console') exporter = new base.ConsoleSpanExporter();
  else {
    if (kind !== 'otlp') logger.warn({ exporter: kind }, 'OTEL_TRACES_EXPORTER: using otlp');
    const protocol = env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL;
    if (protocol && protocol !== 'http/json') {
      logger.info({ protocol }, 'OTLP traces are sent as http/json (collectors accept both)');
    }
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
    // The exporter reads the other OTEL_EXPORTER_OTLP_* variables (headers, timeout) itself.
    exporter = new OTLPTraceExporter(otlpUrl(env));
  }
  const serviceName = env.OTEL_SERVICE_NAME?.trim();
  const resource = resources
    .resourceFromAttributes({ 'service.name': 'intellicore-llm-gateway' })
    .merge(resources.detectResources({ detectors: [resources.envDetector] }))
    .merge(serviceName ? resources.resourceFromAttributes({ 'service.name': serviceName }) : null);
  const provider = new base.BasicTracerProvider({
    resource,
    spanProcessors: [new base.BatchSpanProcessor(exporter, batchOptions(env))],
  });
  const tracer = provider.getTracer('@intellicore/llm-gateway');
  const propagator = new core.W3CTraceContextPropagator();
  logger.info({ exporter: kind }, 'OpenTelemetry tracing on');

  const startRequest = (headers: IncomingHttpHeaders, record: RequestRecord): RequestSpan => {
    const parent = propagator.extract(api.ROOT_CONTEXT, headers, api.defaultTextMapGetter);
    const server = tracer.startSpan(
      `${record.method} request`,
      { kind: api.SpanKind.SERVER, attributes: { 'http.request.method': record.method } },
      parent,
    );
    const serverContext = api.trace.setSpan(parent, server);
    let upstream: Span | undefined;
    const contextOf = (span: Span | undefined): Context =>
      span ? api.trace.setSpan(serverContext, span) : serverContext;
    return {
      traceId: server.spanContext().traceId,
      child(name, detail) {
        const isUpstream = name === 'upstream';
        const span = tracer.startSpan(
          isUpstream ? `upstream ${detail ?? ''}`.trim() : name,
          {
            kind: isUpstream ? api.SpanKind.CLIENT : api.SpanKind.INTERNAL,
            ...(detail === undefined ? {} : { attributes: { 'gateway.upstream': detail } }),
          },
          serverContext,
        );
        if (isUpstream) upstream = span;
        return {
          end(outcome) {
            if (outcome?.hit !== undefined) span.setAttribute('gateway.cache.hit', outcome.hit);
            if (outcome?.error !== undefined) {
              span.setAttribute('error.type', outcome.error);
              span.setStatus({ code: api.SpanStatusCode.ERROR, message: outcome.error });
            }
            span.end();
          },
        };
      },
      event: (name, attributes) => {
        server.addEvent(name, attributes);
      },
      outgoingHeaders() {
        const carrier: Record<string, string> = {};
        propagator.inject(contextOf(upstream), carrier, api.defaultTextMapSetter);
        return carrier;
      },
      end(record, status, logPrompts) {
        server.updateName(spanName(record));
        server.setAttributes(spanAttributes(record, status));
        if (logPrompts && record.prompt !== undefined) {
          server.addEvent('gen_ai.prompt', { 'gen_ai.prompt': JSON.stringify(record.prompt) });
        }
        if (logPrompts && record.completion !== undefined) {
          server.addEvent('gen_ai.completion', { 'gen_ai.completion': record.completion });
        }
        if (record.code !== undefined || status >= 500) {
          server.setStatus({ code: api.SpanStatusCode.ERROR, message: record.code ?? `${status}` });
        }
        server.end();
      },
    };
  };

  return {
    startRequest,
    shutdown: async () => {
      await provider.shutdown().catch(() => {});
    },
  };
}

/** The traces endpoint from the given environment (the exporter alone reads process.env only). */
function otlpUrl(env: Env): { url: string } | undefined {
  const traces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  if (traces) return { url: traces };
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  return base ? { url: `${base.replace(/\/+$/, '')}/v1/traces` } : undefined;
}

/** OTEL_BSP_SCHEDULE_DELAY from the given environment (the processor reads process.env only). */
function batchOptions(env: Env): { scheduledDelayMillis?: number } {
  const delay = Number(env.OTEL_BSP_SCHEDULE_DELAY);
  return Number.isFinite(delay) && delay > 0 ? { scheduledDelayMillis: delay } : {};
}
