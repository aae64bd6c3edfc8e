import type { AddressInfo } from 'node:net';
import type { Express } from 'express';

/** Listens on a free loopback port and tells the parent which, over IPC. */
export function serve(app: Express): void {
  const server = app.listen(0, '127.0.0.1', () => {
    process.send?.({ port: (server.address() as AddressInfo).port });
  });
  process.on('message', (message) => {
    if (message === 'stop') server.close(() => process.exit(0));
  });
}
