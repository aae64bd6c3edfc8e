// The sandbox's background work (status progressions, call walks): pauses that end early when
// the sandbox closes, and a record of what is still running so close() can wait for it.

export interface Runtime {
  /** Waits `ms`; false when the sandbox closed meanwhile (the caller stops). */
  pause(ms: number): Promise<boolean>;
  /** Runs a task in the background; its failure is reported, never thrown. */
  spawn(task: () => Promise<void>): void;
  closing(): boolean;
  close(): Promise<void>;
}

export function createRuntime(onError: (err: unknown) => void): Runtime {
  const timers = new Map<NodeJS.Timeout, () => void>();
  const running = new Set<Promise<void>>();
  let closed = false;
  return {
    pause(ms) {
      if (closed) return Promise.resolve(false);
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          resolve(!closed);
        }, ms);
        timers.set(timer, () => resolve(false));
      });
    },
    spawn(task) {
      const run = task().catch(onError);
      running.add(run);
      void run.finally(() => running.delete(run));
    },
    closing: () => closed,
    async close() {
      closed = true;
      for (const [timer, wake] of timers) {
        clearTimeout(timer);
        wake();
      }
      timers.clear();
      await Promise.all(running);
    },
  };
}
