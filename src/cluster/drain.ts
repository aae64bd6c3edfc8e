import cluster from 'node:cluster';

/**
 * What the primary sends a worker to have it finish its in-flight requests and exit. A message,
 * not a signal: systemd (KillMode=control-group) and a terminal's Ctrl-C signal every process of
 * the service at once, so a worker may get the signal directly as well as from the primary, and a
 * forwarded second SIGTERM would read as "second signal: exit now" and cut its requests.
 */
export const DRAIN_REQUEST = { type: 'switchboard:drain' } as const;

export function isDrainRequest(message: unknown): boolean {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === DRAIN_REQUEST.type;
}

/** In a cluster worker, calls `drain` each time the primary asks; outside a cluster, does nothing. */
export function onDrainRequest(drain: () => void): void {
  if (!cluster.isWorker) return;
  process.on('message', (message: unknown) => {
    if (isDrainRequest(message)) drain();
  });
}
