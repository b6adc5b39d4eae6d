/**
 * A small Prometheus registry: counters, gauges and histograms with labels, written in the text
 * exposition format (0.0.4). It replaces prom-client, which with its dependencies (it loads
 * @opentelemetry/api for exemplars) weighed ~5 MB of an idle gateway's memory and ~2 % of a
 * request's CPU; the gateway uses a fraction of it. Label children are bound once and cached.
 */

export class Registry {
  readonly contentType = 'text/plain; version=0.0.4; charset=utf-8';
  private readonly metrics_: Metric[] = [];

  register(metric: Metric): void {
    this.metrics_.push(metric);
  }

  /** Every metric in the text format; `collect()` hooks run first (gauges read at scrape time). */
  async metrics(): Promise<string> {
    let out = '';
    for (const metric of this.metrics_) {
      await metric.collect?.();
      out += metric.text();
    }
    return out;
  }
}

interface Metric {
  collect?(): void | Promise<void>;
  text(): string;
}

interface MetricOptions<L extends string> {
  name: string;
  help: string;
  labelNames?: readonly L[];
  registers?: Registry[];
}

/** `{a="x",b="y"}` with Prometheus escaping (backslash, quote, newline). */
function labelText(names: readonly string[], values: readonly string[]): string {
  if (names.length === 0) return '';
  const parts = names.map((name, i) => {
    const value = (values[i] ?? '')
      .replace(/\\/g, '\\\\')
      .replace(/"/g, '\\"')
      .replace(/\n/g, '\\n');
    return `${name}="${value}"`;
  });
  return `{${parts.join(',')}}`;
}

const number = (v: number) =>
  Number.isFinite(v) ? String(v) : v > 0 ? '+Inf' : v < 0 ? '-Inf' : 'NaN';

/** What counters, gauges and histograms share: children per label set, help and type lines. */
abstract class Family<L extends string, C> implements Metric {
  readonly name: string;
  protected readonly labelNames: readonly L[];
  protected readonly children = new Map<string, { labels: string; child: C }>();
  collect?(): void | Promise<void>;

  constructor(
    options: MetricOptions<L>,
    private readonly type: string,
    private readonly help: string,
  ) {
    this.name = options.name;
    this.labelNames = options.labelNames ?? [];
    for (const registry of options.registers ?? []) registry.register(this);
  }

  protected abstract create(): C;
  protected abstract lines(labels: string, child: C): string;

  /** The child for these label values (created on first use). */
  labels(...values: string[]): C {
    const key = values.join('\u0000');
    let entry = this.children.get(key);
    if (!entry) {
      entry = { labels: labelText(this.labelNames, values), child: this.create() };
      this.children.set(key, entry);
    }
    return entry.child;
  }

  reset(): void {
    this.children.clear();
  }

  text(): string {
    let out = `# HELP ${this.name} ${this.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}\n# TYPE ${this.name} ${this.type}\n`;
    if (this.labelNames.length === 0 && this.children.size === 0) this.labels();
    for (const { labels, child } of this.children.values()) out += this.lines(labels, child);
    return out;
  }
}

export interface CounterChild {
  inc(by?: number): void;
}

export class Counter<L extends string = never> extends Family<L, CounterChild & { value: number }> {
  constructor(options: MetricOptions<L> & { collect?(this: Counter<L>): void | Promise<void> }) {
    super(options, 'counter', options.help);
    if (options.collect) this.collect = options.collect.bind(this);
  }
  protected create() {
    return {
      value: 0,
      inc(by = 1) {
        this.value += by;
      },
    };
  }
  protected lines(labels: string, child: { value: number }) {
    return `${this.name}${labels} ${number(child.value)}\n`;
  }
  inc(by = 1): void {
    this.labels().inc(by);
  }
}

export interface GaugeChild {
  set(value: number): void;
  inc(by?: number): void;
  dec(by?: number): void;
}

export class Gauge<L extends string = never> extends Family<L, GaugeChild & { value: number }> {
  constructor(options: MetricOptions<L> & { collect?(this: Gauge<L>): void | Promise<void> }) {
    super(options, 'gauge', options.help);
    if (options.collect) this.collect = options.collect.bind(this);
  }
  protected create() {
    return {
      value: 0,
      set(value: number) {
        this.value = value;
      },
      inc(by = 1) {
        this.value += by;
      },
      dec(by = 1) {
        this.value -= by;
      },
    };
  }
  protected lines(labels: string, child: { value: number }) {
    return `${this.name}${labels} ${number(child.value)}\n`;
  }
  set(value: number): void {
    this.labels().set(value);
  }
  inc(by = 1): void {
    this.labels().inc(by);
  }
  dec(by = 1): void {
    this.labels().dec(by);
  }
}

export interface HistogramChild {
  observe(value: number): void;
}

interface HistogramState extends HistogramChild {
  counts: Float64Array;
  sum: number;
  count: number;
}

export class Histogram<L extends string = never> extends Family<L, HistogramState> {
  private readonly buckets: readonly number[];

  constructor(options: MetricOptions<L> & { buckets: readonly number[] }) {
    super(options, 'histogram', options.help);
    this.buckets = [...options.buckets].sort((a, b) => a - b);
  }
  protected create(): HistogramState {
    const buckets = this.buckets;
    return {
      counts: new Float64Array(buckets.length),
      sum: 0,
      count: 0,
      observe(value: number) {
        this.sum += value;
        this.count++;
        // Counts per bucket (not cumulative): the text adds them up at scrape time.
        for (let i = 0; i < buckets.length; i++) {
          if (value <= (buckets[i] as number)) {
            this.counts[i]! += 1;
            return;
          }
        }
      },
    };
  }
  protected lines(labels: string, child: HistogramState) {
    const inner = labels ? `${labels.slice(1, -1)},` : '';
    let out = '';
    let cumulative = 0;
    this.buckets.forEach((bound, i) => {
      cumulative += child.counts[i] ?? 0;
      out += `${this.name}_bucket{${inner}le="${bound}"} ${cumulative}\n`;
    });
    out += `${this.name}_bucket{${inner}le="+Inf"} ${child.count}\n`;
    out += `${this.name}_sum${labels} ${number(child.sum)}\n${this.name}_count${labels} ${child.count}\n`;
    return out;
  }
  observe(value: number): void {
    this.labels().observe(value);
  }
}
