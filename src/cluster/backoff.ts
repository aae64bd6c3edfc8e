/** How long the primary waits before replacing a worker that died. */
export interface RestartBackoff {
  /** The delay after a first crash; each crash in a row doubles it. */
  readonly initialMs: number;
  readonly maxMs: number;
  /** A worker that ran this long before dying was healthy: its slot's crash count starts again. */
  readonly stableMs: number;
}

export const DEFAULT_RESTART_BACKOFF: RestartBackoff = Object.freeze({ initialMs: 500, maxMs: 30_000, stableMs: 60_000 });

/**
 * The delay before the next start of a slot whose worker has crashed `crashesInARow` times before
 * (0 for the first). Exponential, so a worker that cannot start (the database is down) is retried
 * ever more slowly instead of in a tight loop filling the log.
 */
export function restartDelay(crashesInARow: number, backoff: RestartBackoff): number {
  return Math.min(backoff.initialMs * 2 ** Math.min(crashesInARow, 30), backoff.maxMs);
}
