import cluster, { type Worker } from 'node:cluster';
import type { AddressInfo } from 'node:net';
import { restartDelay, type RestartBackoff } from './backoff';
import { DRAIN_REQUEST } from './drain';

export interface SupervisorLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface SupervisorOptions {
  readonly workers: number;
  /** The workers' script; by default this process's own (cluster's default: process.argv[1]). */
  readonly exec?: string;
  readonly backoff: RestartBackoff;
  readonly logger: SupervisorLogger;
  /** Milliseconds since some fixed point; injectable so the backoff's reset can be tested without waiting. */
  readonly now?: () => number;
}

/** A worker exited before it listened while the cluster was starting: the same fault would stop every worker. */
export class WorkerStartError extends Error {
  constructor(
    readonly slot: number,
    readonly code: number | null,
    readonly signal: string | null,
  ) {
    super(`worker ${slot} exited before listening (${signal === null ? `code ${String(code)}` : `signal ${signal}`})`);
    this.name = 'WorkerStartError';
  }
}

interface Slot {
  readonly index: number;
  worker: Worker | undefined;
  startedAt: number;
  listening: boolean;
  crashesInARow: number;
  restartTimer: NodeJS.Timeout | undefined;
}

type Phase = 'starting' | 'running' | 'stopping';

/**
 * Keeps `workers` processes of one script running under node:cluster, which shares their port.
 * A worker that dies while running is replaced after a backoff; one that dies before it ever
 * listened while the cluster starts fails the start (a bad config or an unreachable database would
 * kill each replacement too). drain() asks every worker to finish its requests and exit.
 */
export class Supervisor {
  private readonly slots: Slot[];
  private phase: Phase = 'starting';
  private port = 0;
  private started: { resolve: (port: number) => void; reject: (err: WorkerStartError) => void } | undefined;
  private drained: (() => void) | undefined;
  private readonly now: () => number;

  constructor(private readonly options: SupervisorOptions) {
    this.now = options.now ?? (() => performance.now());
    this.slots = Array.from({ length: options.workers }, (_, index) => ({
      index,
      worker: undefined,
      startedAt: 0,
      listening: false,
      crashesInARow: 0,
      restartTimer: undefined,
    }));
  }

  /** Forks every worker; resolves with the shared port once all listen. */
  start(): Promise<number> {
    // Structured clone rather than JSON: metric values can be NaN or ±Infinity (an event-loop lag
    // before its first sample), which JSON would turn into null.
    cluster.setupPrimary({ serialization: 'advanced', ...(this.options.exec !== undefined && { exec: this.options.exec }) });
    const started = new Promise<number>((resolve, reject) => (this.started = { resolve, reject }));
    for (const slot of this.slots) this.fork(slot);
    return started;
  }

  /** The process ids of the workers alive now. */
  pids(): number[] {
    return this.slots.flatMap((slot) => (slot.worker?.process.pid === undefined ? [] : [slot.worker.process.pid]));
  }

  /** The workers serving now, by slot: those that listen and whose IPC channel is open. */
  listening(): Array<{ slot: number; worker: Worker }> {
    return this.slots.flatMap((slot) => (slot.listening && slot.worker?.isConnected() === true ? [{ slot: slot.index, worker: slot.worker }] : []));
  }

  /** Sends `signal` to every live worker (SIGHUP: each reloads its own configuration). */
  forward(signal: NodeJS.Signals): void {
    this.options.logger.info({ signal, pids: this.pids() }, 'forwarding signal to workers');
    for (const slot of this.slots) slot.worker?.process.kill(signal);
  }

  /** Stops replacing workers, asks each to finish its in-flight requests, resolves when none is left. */
  drain(): Promise<void> {
    this.phase = 'stopping';
    const done = new Promise<void>((resolve) => (this.drained = resolve));
    for (const slot of this.slots) {
      clearTimeout(slot.restartTimer);
      slot.restartTimer = undefined;
      const worker = slot.worker;
      if (worker === undefined) continue;
      if (slot.listening && worker.isConnected()) {
        worker.send(DRAIN_REQUEST, undefined, () => undefined);
      } else {
        // Not serving yet, so nothing is in flight; it may not listen for the request yet either.
        worker.process.kill('SIGTERM');
      }
    }
    this.resolveIfDrained();
    return done;
  }

  private fork(slot: Slot): void {
    slot.restartTimer = undefined;
    slot.listening = false;
    slot.startedAt = this.now();
    const worker = cluster.fork();
    slot.worker = worker;
    worker.on('listening', (address: AddressInfo) => this.onListening(slot, worker, address));
    worker.on('exit', (code: number | null, signal: string | null) => this.onExit(slot, worker, code, signal));
  }

  private onListening(slot: Slot, worker: Worker, address: AddressInfo): void {
    slot.listening = true;
    this.port = address.port;
    this.options.logger.info({ worker: slot.index, pid: worker.process.pid, port: address.port }, 'worker listening');
    if (this.phase === 'starting' && this.slots.every((each) => each.listening)) {
      this.phase = 'running';
      this.started?.resolve(this.port);
    }
  }

  private onExit(slot: Slot, worker: Worker, code: number | null, signal: string | null): void {
    if (slot.worker !== worker) return;
    slot.worker = undefined;
    const { logger } = this.options;
    const details = { worker: slot.index, pid: worker.process.pid, code, signal };
    if (this.phase === 'stopping') {
      if (code === 0) logger.info(details, 'worker stopped');
      else logger.warn(details, 'worker stopped uncleanly');
      this.resolveIfDrained();
      return;
    }
    if (this.phase === 'starting' && !slot.listening) {
      // The worker wrote its reason (one line) to the shared stderr.
      logger.error(details, 'worker exited before listening; stopping');
      this.phase = 'stopping';
      this.started?.reject(new WorkerStartError(slot.index, code, signal));
      return;
    }
    if (this.now() - slot.startedAt >= this.options.backoff.stableMs) slot.crashesInARow = 0;
    const restartInMs = restartDelay(slot.crashesInARow, this.options.backoff);
    slot.crashesInARow += 1;
    logger.warn({ ...details, restartInMs }, 'worker exited unexpectedly; restarting');
    slot.restartTimer = setTimeout(() => this.fork(slot), restartInMs);
  }

  private resolveIfDrained(): void {
    if (this.phase === 'stopping' && this.slots.every((slot) => slot.worker === undefined)) this.drained?.();
  }
}
