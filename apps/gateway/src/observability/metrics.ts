import type { GatewayService } from '@intellicore/llm-core';
import { registerProcessMetrics } from './process-metrics.js';
import {
  Counter,
  type CounterChild,
  Gauge,
  Histogram,
  type HistogramChild,
  Registry,
} from './prometheus.js';

/**
 * Prometheus metrics of one gateway (own registry, so several gateways in one process do not
 * collide). Hot-path label sets are bound once and cached: a request costs two Map lookups.
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'gateway_requests_total',
    help: 'Requests by route (or tRPC procedure) and status',
    labelNames: ['route', 'status'] as const,
    registers: [this.registry],
  });
  private readonly latency = new Histogram({
    name: 'gateway_request_duration_seconds',
    help: 'Request duration by route (or tRPC procedure) and status',
    labelNames: ['route', 'status'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers: [this.registry],
  });
  private readonly ttft = new Histogram({
    name: 'gateway_time_to_first_token_seconds',
    help: 'Time to first token by model',
    labelNames: ['model'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  private readonly tokens = new Counter({
    name: 'gateway_tokens_total',
    help: 'Tokens by model and direction (in = prompt, out = completion)',
    labelNames: ['model', 'direction'] as const,
    registers: [this.registry],
  });
  private readonly openStreams = new Gauge({
    name: 'gateway_open_streams',
    help: 'Streaming responses (SSE, NDJSON) open right now',
    registers: [this.registry],
  });
  private readonly requestChildren = new Map<string, [CounterChild, HistogramChild]>();
  private readonly tokenChildren = new Map<string, [CounterChild, CounterChild]>();

  constructor(service: GatewayService) {
    registerProcessMetrics(this.registry);
    const inFlight = new Gauge({
      name: 'gateway_upstream_in_flight',
      help: 'Requests in flight per upstream',
      labelNames: ['upstream'] as const,
      registers: [this.registry],
    });
    const queued = new Gauge({
      name: 'gateway_upstream_queue_depth',
      help: 'Requests waiting for an upstream slot',
      labelNames: ['upstream'] as const,
      registers: [this.registry],
    });
    // Upstream gauges are read at scrape time; nothing runs between scrapes.
    new Gauge({
      name: 'gateway_upstream_healthy',
      help: '1 when the upstream passes health checks',
      labelNames: ['upstream', 'kind'] as const,
      registers: [this.registry],
      async collect() {
        const report = await service.health().catch(() => undefined);
        this.reset();
        inFlight.reset();
        queued.reset();
        for (const u of report?.upstreams ?? []) {
          this.labels(u.id, u.kind).set(u.healthy ? 1 : 0);
          inFlight.labels(u.id).set(u.inFlight);
          queued.labels(u.id).set(u.queued);
        }
      },
    });
  }

  observeRequest(route: string, status: number | string, seconds: number): void {
    const key = `${route}\u0000${status}`;
    let children = this.requestChildren.get(key);
    if (!children) {
      const s = String(status);
      children = [this.requests.labels(route, s), this.latency.labels(route, s)];
      this.requestChildren.set(key, children);
    }
    children[0].inc();
    children[1].observe(seconds);
  }

  observeTtft(model: string, seconds: number): void {
    this.ttft.labels(model).observe(seconds);
  }

  observeTokens(model: string, input: number, output: number): void {
    let children = this.tokenChildren.get(model);
    if (!children) {
      children = [this.tokens.labels(model, 'in'), this.tokens.labels(model, 'out')];
      this.tokenChildren.set(model, children);
    }
    if (input > 0) children[0].inc(input);
    if (output > 0) children[1].inc(output);
  }

  streamOpened(): void {
    this.openStreams.inc();
  }

  streamClosed(): void {
    this.openStreams.dec();
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
