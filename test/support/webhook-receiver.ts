// An app stand-in on 127.0.0.1 for the sandbox to call: records every request with whether
// its X-Twilio-Signature is right for the URL it was sent to, and answers from a route table.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { validateTwilioSignature } from '../../src/security/twilio-signature';

export interface ReceivedRequest {
  method: string;
  /** Path and query. */
  url: string;
  params: Array<[string, string]>;
  signed: boolean;
}

export interface Reply {
  status?: number;
  contentType?: string;
  body?: string;
  /** Answer only after this long, as a slow app would. */
  delayMs?: number;
}

export interface Receiver {
  origin: string;
  received: ReceivedRequest[];
  /** The requests to one path (query ignored), in order. */
  to(path: string): ReceivedRequest[];
  /** Resolves once `predicate` holds; rejects after `timeoutMs` (default 5 s). */
  waitFor(predicate: () => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(authToken: string, routes: Record<string, (params: Array<[string, string]>) => Reply>): Promise<Receiver> {
  const received: ReceivedRequest[] = [];
  let origin = '';
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = req.url ?? '/';
      const params: Array<[string, string]> = [...new URLSearchParams(Buffer.concat(chunks).toString('utf8'))];
      const signature = req.headers['x-twilio-signature'];
      const signed =
        typeof signature === 'string' &&
        validateTwilioSignature({ authToken, signature, url: origin + url, params: req.method === 'POST' ? params : [] });
      received.push({ method: req.method ?? '', url, params, signed });
      const route = routes[url.split('?')[0] ?? ''];
      const reply = route?.(params) ?? { status: 204 };
      const answer = () => {
        res.writeHead(reply.status ?? 200, reply.body === undefined ? {} : { 'Content-Type': reply.contentType ?? 'text/xml' });
        res.end(reply.body ?? '');
      };
      if (reply.delayMs === undefined) answer();
      else setTimeout(answer, reply.delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    received,
    to: (path) => received.filter((r) => r.url.split('?')[0] === path),
    waitFor: (predicate, timeoutMs) => waitUntil(predicate, timeoutMs, () => JSON.stringify(received.map((r) => r.url))),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const POLL_MS = 5;

/** Resolves once `predicate` holds, checking every few ms; rejects after `timeoutMs` (default 5 s). */
export function waitUntil(predicate: () => boolean, timeoutMs = 5_000, describe: () => string = () => ''): Promise<void> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + timeoutMs;
    const check = () => {
      if (predicate()) return resolve();
      if (Date.now() >= deadline) return reject(new Error(`condition not met in ${timeoutMs} ms ${describe()}`));
      setTimeout(check, POLL_MS);
    };
    check();
  });
}
