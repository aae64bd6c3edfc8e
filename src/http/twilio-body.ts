import { parse as parseQuery } from 'node:querystring';
import express, { type RequestHandler } from 'express';
import { captureRawBody } from '../security/raw-body';

export interface TwilioBodyOptions {
  /** Largest body in bytes. */
  limit: number;
  /** Most form parameters. */
  parameterLimit: number;
}

/** The same errors body-parser raises, so one error handler maps them all. */
function bodyError(status: number, type: string, message: string): Error & { status: number; type: string } {
  return Object.assign(new Error(message), { status, type });
}

const FORM = 'application/x-www-form-urlencoded';

/** `application/x-www-form-urlencoded`, with no charset or UTF-8: 'form'; another charset: 'charset'. */
function formKind(contentType: string): 'form' | 'charset' | undefined {
  if (contentType === FORM) return 'form';
  const [type = '', ...params] = contentType.toLowerCase().split(';');
  if (type.trim() !== FORM) return undefined;
  for (const param of params) {
    const [name = '', value = ''] = param.split('=');
    if (name.trim() !== 'charset') continue;
    const charset = value.trim().replace(/^"(.*)"$/, '$1');
    return charset === 'utf-8' || charset === 'utf8' ? 'form' : 'charset';
  }
  return 'form';
}

function countParameters(body: string, limit: number): boolean {
  let count = 1;
  for (let at = body.indexOf('&'); at !== -1; at = body.indexOf('&', at + 1)) if (++count > limit) return false;
  return true;
}

/**
 * Reads the body of a Twilio webhook. Twilio posts UTF-8 forms, on every call and message, so
 * forms are read here directly: the general parser's content negotiation, decoders and query
 * parser cost a webhook more than its signature check and its database row together. Repeated
 * keys become arrays and `__proto__` is an ordinary key (the object has no prototype), as with
 * `express.urlencoded({ extended: false })`. JSON (sent with `bodySHA256`) goes to
 * `express.json`, keeping its raw bytes for the hash; any other body is left unread, and the
 * signature check refuses it.
 */
export function twilioBody({ limit, parameterLimit }: TwilioBodyOptions): RequestHandler {
  const json = express.json({ limit, verify: captureRawBody });
  return (req, res, next) => {
    const contentType = req.headers['content-type'];
    if (contentType === undefined || req.body !== undefined) return next();
    const kind = formKind(contentType);
    if (kind === undefined) return json(req, res, next);
    if (kind === 'charset') return next(bodyError(415, 'charset.unsupported', 'unsupported charset'));
    const encoding = req.headers['content-encoding'];
    if (encoding !== undefined && encoding.toLowerCase() !== 'identity') {
      return next(bodyError(415, 'encoding.unsupported', 'content encoding unsupported'));
    }
    const declared = req.headers['content-length'];
    if (declared !== undefined && Number(declared) > limit) {
      return next(bodyError(413, 'entity.too.large', 'request entity too large'));
    }

    const chunks: Buffer[] = [];
    let received = 0;
    let done = false;
    const finish = (error?: Error) => {
      // The listeners stay: removing four of them costs more than the late events they may see.
      if (done) return;
      done = true;
      if (error) {
        // Stop reading; the answer closes the connection rather than wait for the rest.
        req.pause();
        return next(error);
      }
      const text = chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks).toString('utf8');
      if (!countParameters(text, parameterLimit)) return next(bodyError(413, 'parameters.too.many', 'too many parameters'));
      req.body = text === '' ? Object.create(null) : parseQuery(text, '&', '=', { maxKeys: 0 });
      next();
    };
    const onData = (chunk: Buffer) => {
      if (done) return;
      received += chunk.length;
      if (received > limit) return finish(bodyError(413, 'entity.too.large', 'request entity too large'));
      chunks.push(chunk);
    };
    const onEnd = () => {
      if (declared !== undefined && Number(declared) !== received) {
        return finish(bodyError(400, 'request.size.invalid', 'request size did not match content length'));
      }
      finish();
    };
    const onAborted = () => finish(bodyError(400, 'request.aborted', 'request aborted'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('aborted', onAborted);
    req.on('error', finish);
  };
}
