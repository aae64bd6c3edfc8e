import { DEFAULT_RESTART_BACKOFF, type RestartBackoff } from './backoff';
import { serveClusterMetrics } from './metrics-primary';
import { Supervisor, WorkerStartError, type SupervisorLogger } from './supervisor';

export interface PrimaryOptions {
  readonly workers: number;
  /** The workers' script; by default the primary's own, which then runs as a worker. */
  readonly exec?: string;
  readonly logger: SupervisorLogger;
  readonly backoff?: RestartBackoff;
  /** Called once, when every worker first listens (the server writes PID_FILE then). */
  readonly onListening?: () => void;
}

/**
 * The cluster primary: serves no HTTP itself, keeps the workers running, forwards SIGHUP to them,
 * merges their metrics for whichever worker a scrape reaches, and on SIGTERM or SIGINT has each
 * finish its in-flight requests. Resolves with the exit code: 0 after a drain, 1 when a worker
 * could not start or a second signal cut the drain short.
 */
export function runPrimary(options: PrimaryOptions): Promise<number> {
  const { logger } = options;
  const supervisor = new Supervisor({
    workers: options.workers,
    backoff: options.backoff ?? DEFAULT_RESTART_BACKOFF,
    logger,
    ...(options.exec !== undefined && { exec: options.exec }),
  });
  serveClusterMetrics(supervisor);
  return new Promise<number>((resolve) => {
    let stopping = false;
    const drainThenExit = (code: number) => {
      stopping = true;
      void supervisor.drain().then(() => {
        logger.info({ code }, 'all workers stopped');
        resolve(code);
      });
    };
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        // The workers see the primary go (their IPC channel closes) and exit at once.
        logger.warn({ signal }, 'second signal: exiting now');
        resolve(1);
        return;
      }
      logger.info({ signal, workers: options.workers }, 'shutting down: draining every worker');
      drainThenExit(0);
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    process.on('SIGHUP', () => supervisor.forward('SIGHUP'));

    supervisor.start().then(
      (port) => {
        logger.info({ workers: options.workers, port }, 'all workers listening');
        options.onListening?.();
      },
      (err: unknown) => {
        if (!(err instanceof WorkerStartError)) throw err;
        if (!stopping) drainThenExit(1);
      },
    );
  });
}
