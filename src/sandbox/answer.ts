import type * as http from 'node:http';

/** A JSON answer (null body: no content). */
export interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** An answer that is not JSON: audio, TwiML, HTML. */
export interface RawAnswer {
  status: number;
  contentType: string;
  payload: string | Buffer;
  headers?: Record<string, string>;
}

export function writeJson(res: http.ServerResponse, answer: Answer): void {
  if (res.destroyed || res.writableEnded) return;
  const payload = answer.body === null ? '' : JSON.stringify(answer.body);
  res.writeHead(answer.status, {
    ...(payload === '' ? {} : { 'Content-Type': 'application/json; charset=utf-8' }),
    ...answer.headers,
  });
  res.end(payload);
}

export function writeRaw(res: http.ServerResponse, answer: RawAnswer): void {
  if (res.destroyed || res.writableEnded) return;
  res.writeHead(answer.status, { 'Content-Type': answer.contentType, ...answer.headers });
  res.end(answer.payload);
}
