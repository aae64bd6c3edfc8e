import { Registry, type Metric } from 'prom-client';

// A registry's metrics as plain data: what a cluster worker sends its primary over IPC, and what
// the primary merges and renders. Plain data, because a prom-client metric is an object with
// methods and closures that cannot cross a process boundary.

/** One sample line of the exposition: `metricName{labels} value`. */
export interface SnapshotSample {
  /** A histogram's `_bucket`, `_sum` or `_count` line; absent for the family's own name. */
  readonly metricName?: string;
  /** prom-client gives a histogram's `le` as a number. */
  readonly labels: Readonly<Record<string, string | number>>;
  readonly value: number;
}

export interface MetricFamily {
  readonly name: string;
  readonly help: string;
  /** counter, gauge, histogram, summary. */
  readonly type: string;
  /** prom-client's cluster aggregator: `sum` by default, `first` for a value every process shares. */
  readonly aggregator: string;
  readonly values: readonly SnapshotSample[];
}

export type Snapshot = readonly MetricFamily[];

/** Every metric of `registry` now, running their collect functions (the database gauges read). */
export async function takeSnapshot(registry: Registry): Promise<Snapshot> {
  const families = await registry.getMetricsAsJSON();
  return families.map((family) => ({
    name: family.name,
    help: family.help,
    // Typed as an enum by prom-client, but the metrics hold its name.
    type: String(family.type),
    aggregator: family.aggregator,
    values: family.values.map((sample) => {
      const { metricName } = sample as { metricName?: unknown };
      const labels: Record<string, string | number> = {};
      for (const [name, value] of Object.entries(sample.labels)) if (value !== undefined) labels[name] = value;
      return { ...(typeof metricName === 'string' && { metricName }), labels, value: sample.value };
    }),
  }));
}

/** The exposition of `snapshot`, formatted by prom-client exactly as a registry of its own. */
export function renderSnapshot(snapshot: Snapshot): Promise<string> {
  const registry = new Registry();
  for (const family of snapshot) {
    // The registry reads name, help, type and get(), as for the cells (cells.ts).
    registry.registerMetric({ name: family.name, help: family.help, type: family.type, aggregator: family.aggregator, get: async () => family } as unknown as Metric);
  }
  return registry.metrics();
}
