import type { MetricFamily, Snapshot, SnapshotSample } from './snapshot';

// How the metrics of a cluster's workers make one scrape. Prometheus must see one server: a
// counter that moved back and forth as successive scrapes reached different workers would read
// as a reset each time, and rate() would count each "reset" as a burst of new events.

/** Tells the workers' per-process series apart: the worker's slot, 0 to WORKERS − 1, kept by its replacement. */
export const WORKER_LABEL = 'worker';

/** Switchboard's own metrics; every other family is one of prom-client's process and Node.js metrics. */
const OWN_PREFIX = 'switchboard_';

/**
 * - `sum`: Switchboard's counters and histograms; the server's total is the workers' sum.
 * - `one`: a gauge read from the shared database (aggregator `first`): every worker reads the same
 *   rows, so one answer is the value, and a sum would count them once per worker.
 * - `per-worker`: prom-client's process metrics (memory, CPU, event-loop lag, GC) describe one
 *   process each; summed, a lag or a start time means nothing, so each keeps a `worker` label.
 */
export type MergeRule = 'sum' | 'one' | 'per-worker';

export function mergeRule(family: Pick<MetricFamily, 'name' | 'aggregator'>): MergeRule {
  if (!family.name.startsWith(OWN_PREFIX)) return 'per-worker';
  return family.aggregator === 'first' ? 'one' : 'sum';
}

/** The families of `snapshot` that are summed across workers: what a worker adds to the total. */
export function summable(snapshot: Snapshot): Snapshot {
  return snapshot.filter((family) => mergeRule(family) === 'sum');
}

/** The same series (sample name and labels, in any order) from different workers. */
function seriesKey(sample: SnapshotSample): string {
  const labels = Object.entries(sample.labels)
    .map(([name, value]): [string, string] => [name, String(value)])
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return JSON.stringify([sample.metricName ?? '', labels]);
}

/**
 * Each series' values added up, series and families in the order first seen. A histogram's
 * buckets are cumulative in each snapshot, and a sum of cumulative counts is the cumulative count
 * of the sum, so buckets, `_sum` and `_count` add up like counters.
 */
export function sumSnapshots(snapshots: readonly Snapshot[]): Snapshot {
  const families = new Map<string, { head: MetricFamily; series: Map<string, { sample: SnapshotSample; value: number }> }>();
  for (const snapshot of snapshots) {
    for (const family of snapshot) {
      let entry = families.get(family.name);
      if (entry === undefined) {
        entry = { head: family, series: new Map() };
        families.set(family.name, entry);
      }
      for (const sample of family.values) {
        const key = seriesKey(sample);
        const seen = entry.series.get(key);
        if (seen === undefined) entry.series.set(key, { sample, value: sample.value });
        else seen.value += sample.value;
      }
    }
  }
  return [...families.values()].map(({ head, series }) => ({ ...head, values: [...series.values()].map(({ sample, value }) => ({ ...sample, value })) }));
}

/** What one worker answered, and its slot. */
export interface WorkerSnapshot {
  readonly slot: number;
  readonly metrics: Snapshot;
}

export interface MergeInput {
  /** The workers that answered this scrape, lowest slot first. */
  readonly answered: readonly WorkerSnapshot[];
  /**
   * The summable families (see `summable`) of live workers that did not answer in time, from
   * their last answer: left out, the totals would drop for one scrape and read as a reset.
   */
  readonly held: readonly Snapshot[];
  /** The summable families of the workers that have exited, each as of its last answer, added up. */
  readonly retired: Snapshot;
}

/**
 * One server's metrics from its workers' (see `MergeRule`). Families come in the order of the
 * first worker's registry; a counter series that only a silent or exited worker had (a route
 * only it served) is still there, after them.
 */
export function mergeSnapshots({ answered, held, retired }: MergeInput): Snapshot {
  const sums = new Map(sumSnapshots([...answered.map(({ metrics }) => summable(metrics)), ...held, retired]).map((family) => [family.name, family]));
  const merged = new Map<string, MetricFamily>();
  for (const { slot, metrics } of answered) {
    for (const family of metrics) {
      const seen = merged.get(family.name);
      switch (mergeRule(family)) {
        case 'sum':
          if (seen === undefined) merged.set(family.name, sums.get(family.name) ?? family);
          break;
        case 'one':
          if (seen === undefined) merged.set(family.name, family);
          break;
        case 'per-worker': {
          const values = family.values.map((sample) => ({ ...sample, labels: { ...sample.labels, [WORKER_LABEL]: String(slot) } }));
          merged.set(family.name, { ...(seen ?? family), values: [...(seen?.values ?? []), ...values] });
          break;
        }
      }
    }
  }
  for (const family of sums.values()) if (!merged.has(family.name)) merged.set(family.name, family);
  return [...merged.values()];
}
