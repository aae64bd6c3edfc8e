import type { Metric, Registry } from 'prom-client';

// Counters and histograms whose hot path is a field increment. prom-client's own label children
// hash their labels and allocate on every call; these keep one object per label set, made once,
// and build the exposition only when scraped. They plug into prom-client's registry, which asks a
// metric for nothing but `get()`.

type Labels = Readonly<Record<string, string>>;

interface Sample {
  labels: Record<string, string>;
  value: number;
  metricName?: string;
}

abstract class Family {
  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: 'counter' | 'histogram',
    registry: Registry,
  ) {
    // The registry reads name, help, type and get(): the shape of prom-client's own metrics.
    registry.registerMetric(this as unknown as Metric);
  }

  protected abstract samples(): Sample[];

  async get(): Promise<{ name: string; help: string; type: string; values: Sample[]; aggregator: 'sum' }> {
    return { name: this.name, help: this.help, type: this.type, values: this.samples(), aggregator: 'sum' };
  }
}

export class CounterCell {
  value = 0;
  constructor(readonly labels: Labels) {}

  inc(): void {
    this.value++;
  }
}

export class CounterFamily extends Family {
  private readonly cells: CounterCell[] = [];

  constructor(name: string, help: string, registry: Registry) {
    super(name, help, 'counter', registry);
  }

  /** A new series, shown from zero on; keep it and call `inc()` on it. */
  cell(labels: Labels): CounterCell {
    const cell = new CounterCell(labels);
    this.cells.push(cell);
    return cell;
  }

  protected samples(): Sample[] {
    return this.cells.map((cell) => ({ labels: { ...cell.labels }, value: cell.value }));
  }
}

export class HistogramCell {
  sum = 0;
  count = 0;
  /** Observations per bucket, not cumulative: one increment per observation. */
  readonly buckets: Float64Array;

  constructor(
    readonly labels: Labels,
    private readonly bounds: readonly number[],
  ) {
    this.buckets = new Float64Array(bounds.length);
  }

  observe(value: number): void {
    this.sum += value;
    this.count++;
    const { bounds } = this;
    for (let i = 0; i < bounds.length; i++) {
      if (value <= (bounds[i] as number)) {
        this.buckets[i] = (this.buckets[i] as number) + 1;
        return;
      }
    }
  }
}

export class HistogramFamily extends Family {
  private readonly cells: HistogramCell[] = [];

  constructor(
    name: string,
    help: string,
    private readonly bounds: readonly number[],
    registry: Registry,
  ) {
    super(name, help, 'histogram', registry);
  }

  cell(labels: Labels): HistogramCell {
    const cell = new HistogramCell(labels, this.bounds);
    this.cells.push(cell);
    return cell;
  }

  protected samples(): Sample[] {
    const out: Sample[] = [];
    for (const cell of this.cells) {
      let cumulative = 0;
      this.bounds.forEach((bound, i) => {
        cumulative += cell.buckets[i] as number;
        out.push({ metricName: `${this.name}_bucket`, labels: { le: String(bound), ...cell.labels }, value: cumulative });
      });
      out.push({ metricName: `${this.name}_bucket`, labels: { le: '+Inf', ...cell.labels }, value: cell.count });
      out.push({ metricName: `${this.name}_sum`, labels: { ...cell.labels }, value: cell.sum });
      out.push({ metricName: `${this.name}_count`, labels: { ...cell.labels }, value: cell.count });
    }
    return out;
  }
}
