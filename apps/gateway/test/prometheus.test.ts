import { describe, expect, it } from 'vitest';
import { Counter, Gauge, Histogram, Registry } from '../src/observability/prometheus.js';

/** The text exposition format (0.0.4) as Prometheus parses it. */
describe('the Prometheus registry', () => {
  it('writes counters, gauges and cumulative histograms with escaped labels', async () => {
    const registry = new Registry();
    const requests = new Counter({
      name: 'x_requests_total',
      help: 'Requests\nby route',
      labelNames: ['route'] as const,
      registers: [registry],
    });
    requests.labels('/a').inc();
    requests.labels('/a').inc(2);
    requests.labels('say "hi"\\\n').inc();
    const open = new Gauge({ name: 'x_open', help: 'Open', registers: [registry] });
    open.inc();
    open.inc();
    open.dec();
    const latency = new Histogram({
      name: 'x_seconds',
      help: 'Latency',
      labelNames: ['route'] as const,
      buckets: [0.1, 1],
      registers: [registry],
    });
    for (const v of [0.05, 0.5, 0.5, 5]) latency.labels('/a').observe(v);
    let scraped = 0;
    new Gauge({
      name: 'x_read_at_scrape',
      help: 'Read when scraped',
      registers: [registry],
      collect() {
        this.set(++scraped);
      },
    });
    expect(await registry.metrics()).toBe(
      [
        '# HELP x_requests_total Requests\\nby route',
        '# TYPE x_requests_total counter',
        'x_requests_total{route="/a"} 3',
        'x_requests_total{route="say \\"hi\\"\\\\\\n"} 1',
        '# HELP x_open Open',
        '# TYPE x_open gauge',
        'x_open 1',
        '# HELP x_seconds Latency',
        '# TYPE x_seconds histogram',
        'x_seconds_bucket{route="/a",le="0.1"} 1',
        'x_seconds_bucket{route="/a",le="1"} 3',
        'x_seconds_bucket{route="/a",le="+Inf"} 4',
        'x_seconds_sum{route="/a"} 6.05',
        'x_seconds_count{route="/a"} 4',
        '# HELP x_read_at_scrape Read when scraped',
        '# TYPE x_read_at_scrape gauge',
        'x_read_at_scrape 1',
        '',
      ].join('\n'),
    );
    expect(await registry.metrics()).toContain('x_read_at_scrape 2');
  });

  it('an unlabelled metric with no observation still shows its zero', async () => {
    const registry = new Registry();
    new Counter({ name: 'x_total', help: 'Nothing yet', registers: [registry] });
    new Histogram({ name: 'x_h', help: 'Nothing yet', buckets: [1], registers: [registry] });
    const text = await registry.metrics();
    expect(text).toContain('x_total 0\n');
    expect(text).toContain('x_h_bucket{le="+Inf"} 0\n');
    expect(text).toContain('x_h_count 0\n');
  });
});
