import { mergeSnapshots, summable, sumSnapshots } from '../metrics/cluster-merge';
import { renderSnapshot, type MetricFamily, type Snapshot } from '../metrics/snapshot';
import { SNAPSHOT_REQUEST, SNAPSHOT_TIMEOUT_MS, type ScrapeOutcome, type SnapshotReply, type SnapshotRequest } from './metrics-protocol';

/** A listening worker, as the collector sees it. */
export interface MetricsWorker {
  /** node:cluster's worker id: never reused, so a replacement is a new worker. */
  readonly id: number;
  /** The supervisor's slot: the `worker` label of its per-process series, kept by its replacement. */
  readonly slot: number;
  ask(request: SnapshotRequest): void;
}

export interface CollectorOptions {
  /** The workers listening now, each asked once per scrape. */
  readonly workers: () => readonly MetricsWorker[];
  readonly timeoutMs?: number;
}

interface Collection {
  readonly workers: readonly MetricsWorker[];
  readonly waiting: Set<number>;
  readonly answers: Map<number, Snapshot>;
  readonly failures: string[];
  finish(): void;
}

/** The last answer of a worker: its summable families, and the request they answered. */
interface LastAnswer {
  readonly request: number;
  readonly metrics: Snapshot;
}

/** How many workers there are and how many this scrape heard from: a partial scrape says so. */
function clusterGauges(listening: number, answered: number): MetricFamily[] {
  const gauge = (name: string, help: string, value: number): MetricFamily => ({ name, help, type: 'gauge', aggregator: 'first', values: [{ labels: {}, value }] });
  return [
    gauge('switchboard_cluster_workers', 'Worker processes listening when the scrape began (fewer than WORKERS while one is being replaced)', listening),
    gauge('switchboard_cluster_workers_scraped', "Workers whose metrics this scrape shows fresh; the others' counters are as of their last answer", answered),
  ];
}

/**
 * The primary's side of /metrics: asks every listening worker for its metrics, waits up to the
 * timeout, and merges what came (cluster-merge.ts). Keeps each worker's last answer, so that the
 * totals never drop: a worker that does not answer in time counts with its last answer, and one
 * that exits leaves its last answer behind ("retired"), to which its replacement's counts add.
 */
export class ClusterMetricsCollector {
  private nextId = 1;
  private readonly pending = new Map<number, Collection>();
  private readonly last = new Map<number, LastAnswer>();
  private retired: Snapshot = [];
  private readonly timeoutMs: number;

  constructor(private readonly options: CollectorOptions) {
    this.timeoutMs = options.timeoutMs ?? SNAPSHOT_TIMEOUT_MS;
  }

  /** The whole server's exposition, or why there is none. */
  collect(): Promise<ScrapeOutcome> {
    const id = this.nextId++;
    const workers = this.options.workers();
    return new Promise<ScrapeOutcome>((resolve) => {
      const collection: Collection = {
        workers,
        waiting: new Set(workers.map((worker) => worker.id)),
        answers: new Map(),
        failures: [],
        finish: () => {
          clearTimeout(timer);
          if (!this.pending.delete(id)) return;
          // Not expected to fail (one family per name), but a scrape must not crash the primary.
          this.merge(collection).then(resolve, (err: unknown) =>
            resolve({ ok: false, error: { kind: 'merge-failed', reason: err instanceof Error ? err.message : String(err) } }),
          );
        },
      };
      const timer = setTimeout(collection.finish, this.timeoutMs);
      this.pending.set(id, collection);
      const request: SnapshotRequest = { type: SNAPSHOT_REQUEST, id };
      for (const worker of workers) worker.ask(request);
      if (workers.length === 0) collection.finish();
    });
  }

  /** A worker's answer, in time or not: a late one still becomes its last answer. */
  answered(workerId: number, reply: SnapshotReply): void {
    // One that has gone, or is going, is left out: its last answer is (or will be) retired.
    if (!this.options.workers().some((worker) => worker.id === workerId)) return;
    const { outcome } = reply;
    if (outcome.ok) {
      const previous = this.last.get(workerId);
      // Answers can overtake each other (each reads the database); an older one must not replace a newer.
      if (previous === undefined || previous.request < reply.id) this.last.set(workerId, { request: reply.id, metrics: summable(outcome.metrics) });
    }
    const collection = this.pending.get(reply.id);
    if (collection === undefined || !collection.waiting.delete(workerId)) return;
    if (outcome.ok) collection.answers.set(workerId, outcome.metrics);
    else collection.failures.push(outcome.reason);
    if (collection.waiting.size === 0) collection.finish();
  }

  /** A worker has exited: its last answer stays in the totals, and a scrape waits no longer for it. */
  exited(workerId: number): void {
    const last = this.last.get(workerId);
    if (last !== undefined) {
      this.retired = sumSnapshots([this.retired, last.metrics]);
      this.last.delete(workerId);
    }
    for (const collection of this.pending.values()) {
      // Its answer, if any, is in `retired` now: counted there, not again as an answer.
      collection.answers.delete(workerId);
      if (collection.waiting.delete(workerId) && collection.waiting.size === 0) collection.finish();
    }
  }

  private async merge(collection: Collection): Promise<ScrapeOutcome> {
    const { workers, answers, failures } = collection;
    const answered = workers
      .flatMap((worker) => {
        const metrics = answers.get(worker.id);
        return metrics === undefined ? [] : [{ slot: worker.slot, metrics }];
      })
      .sort((a, b) => a.slot - b.slot);
    if (answered.length === 0) return { ok: false, error: { kind: 'no-answer', asked: workers.length, reasons: failures } };
    const held = workers.flatMap((worker) => {
      const last = answers.has(worker.id) ? undefined : this.last.get(worker.id);
      return last === undefined ? [] : [last.metrics];
    });
    const merged = mergeSnapshots({ answered, held, retired: this.retired });
    const text = await renderSnapshot([...merged, ...clusterGauges(workers.length, answered.length)]);
    return { ok: true, text };
  }
}
