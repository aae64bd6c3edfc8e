import type { Clock } from '../clock';
import { PRUNABLE_HISTORY, type PrunableHistory, type RetentionStore } from '../store';

export interface PrunerLogger {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface PrunerOptions {
  store: RetentionStore;
  clock: Clock;
  logger: PrunerLogger;
  /** HISTORY_RETENTION_DAYS. */
  retentionDays: number;
  /** Rows per transaction; default 500. */
  batchSize?: number;
  /** Pause between two batches, default 5 ms: requests waiting behind a batch go first. */
  pauseMs?: number;
  /** First run after start, default 30 s (start-up recovery and the first webhooks go first). */
  firstRunMs?: number;
  /** Between runs, default 5 minutes. */
  intervalMs?: number;
}

export type PruneReport = Record<PrunableHistory, number>;

const DAY_MS = 86_400_000;

/**
 * Deletes history older than the retention period, a small batch per transaction, on a timer.
 * Between batches it gives the event loop back (and pauses briefly), so that webhooks arriving
 * while a million old rows go are answered between two batches, not after all of them.
 */
export class Pruner {
  private readonly batchSize: number;
  private readonly pauseMs: number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<PruneReport> | undefined;
  private stopping = false;

  constructor(private readonly options: PrunerOptions) {
    this.batchSize = options.batchSize ?? 500;
    this.pauseMs = options.pauseMs ?? 5;
  }

  start(): void {
    this.schedule(this.options.firstRunMs ?? 30_000);
  }

  /** Stops the timer and waits for the batch in progress; no batch starts after this. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One pass over every kind of history; resolves with the rows deleted per kind. */
  runOnce(): Promise<PruneReport> {
    this.running ??= this.prune().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private schedule(ms: number): void {
    if (this.stopping) return;
    this.timer = setTimeout(() => {
      this.runOnce()
        .then((report) => {
          const total = Object.values(report).reduce((sum, n) => sum + n, 0);
          if (total > 0) this.options.logger.info({ deleted: report, retentionDays: this.options.retentionDays }, 'old history pruned');
        })
        .catch((err: unknown) => this.options.logger.error({ err }, 'pruning old history failed; trying again at the next run'))
        .finally(() => this.schedule(this.options.intervalMs ?? 300_000));
    }, ms);
    // The timer alone must not keep a stopping process alive.
    this.timer.unref();
  }

  private async prune(): Promise<PruneReport> {
    const before = new Date(this.options.clock.now().getTime() - this.options.retentionDays * DAY_MS).toISOString();
    const report = Object.fromEntries(PRUNABLE_HISTORY.map((kind) => [kind, 0])) as PruneReport;
    for (const kind of PRUNABLE_HISTORY) {
      for (;;) {
        if (this.stopping) return report;
        const deleted = await this.options.store.pruneHistory(kind, before, this.batchSize);
        report[kind] += deleted;
        if (deleted < this.batchSize) break;
        await new Promise((resolve) => setTimeout(resolve, this.pauseMs));
      }
    }
    return report;
  }
}
