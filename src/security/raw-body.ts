import type { IncomingMessage } from 'node:http';

/** A request whose raw body bytes were kept by {@link captureRawBody}. */
export interface RawBodyRequest extends IncomingMessage {
  rawBody?: Buffer;
}

/**
 * `verify` hook for `express.json()` (and `express.urlencoded()` if wanted):
 * keeps the exact bytes so `bodySHA256` can be checked. Re-serialising
 * `req.body` would not reproduce Twilio's hash.
 */
export function captureRawBody(req: IncomingMessage, _res: unknown, buf: Buffer): void {
  (req as RawBodyRequest).rawBody = buf;
}
