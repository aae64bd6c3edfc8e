import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';

/** Listens on a free loopback port and tells the parent which, over IPC. `server` defaults to app.listen's. */
export function serve(app: Express, server?: Server): void {
  const listening = server ?? app.listen(0, '127.0.0.1');
  if (server !== undefined) server.listen(0, '127.0.0.1');
  listening.once('listening', () => {
    process.send?.({ port: (listening.address() as AddressInfo).port });
  });
  process.on('message', (message) => {
    if (message === 'stop') listening.close(() => process.exit(0));
  });
}
