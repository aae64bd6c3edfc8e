// Twilio's REST API v2010 for Calls and Messages on a local port. Every request is checked
// against Twilio's OpenAPI file (path, method, Basic auth, form content type, required,
// conditional and unknown parameters, enums, types, SID patterns) and answered the way Twilio
// answers, magic test numbers included. What happens after a create (status callbacks, the
// call's TwiML) is the lifecycle's job; tests may also pass a fault controller.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CallResource, MessageResource } from '../twilio/types';
import { writeJson, writeRaw, type Answer, type RawAnswer } from './answer';
import { identify, type ApiKeyCredential, type AuthIdentity, type SandboxCredentials } from './auth';
import { answerForViolation, notFound, twilioError } from './errors';
import type { FaultController, FaultSpec, SandboxFault } from './faults';
import { performOperation, type OperationContext } from './operations';
import type { FormPairs } from './resources';
import type { TwilioSpecIndex } from './spec-index';
import { validateForm, validatePathParams, validateQuery } from './spec-validate';
import type { SandboxState } from './state';

export type { ApiKeyCredential, AuthIdentity };

export interface RecordedRequest {
  /** 1, 2, 3... in arrival order. */
  seq: number;
  method: string;
  path: string;
  query: Array<[string, string]>;
  /** Form body as ordered pairs, repeated keys kept ([] for GET/DELETE). */
  form: Array<[string, string]>;
  rawBody: string;
  contentType: string | null;
  auth: AuthIdentity;
  /** The spec operation matched, or null. */
  operationId: string | null;
  /** Filled in when answered; null while pending or when the socket was destroyed. */
  status: number | null;
  /** Twilio error code of the answer, when it was an error. */
  errorCode: number | null;
  fault: SandboxFault['kind'] | null;
  /** The call or message the request created, fetched or changed. */
  resourceSid: string | null;
}

/** A request outside the REST API, for the lifecycle's own routes. */
export interface SandboxHttpRequest {
  method: string;
  url: URL;
  headers: http.IncomingHttpHeaders;
  rawBody: string;
}

/** Twilio's side of what the API was asked to do. */
export interface SandboxLifecycle {
  messageCreated(message: MessageResource, form: FormPairs): void;
  callCreated(call: CallResource, form: FormPairs, headers: http.IncomingHttpHeaders): void;
  /** A hang-up or cancel through UpdateCall, after the resource was changed. */
  callEnded(call: CallResource): void;
  /** Any other UpdateCall (a new FallbackUrl...), after the resource was changed. */
  callUpdated(call: CallResource, form: FormPairs): void;
  /** Answers requests outside the REST API (inbound, recordings); null when not one of them. */
  route(request: SandboxHttpRequest): Promise<RawAnswer | Answer> | null;
  /** Stops pending timers and walks. */
  close(): Promise<void>;
}

export interface SandboxServerOptions {
  spec: TwilioSpecIndex;
  credentials: SandboxCredentials;
  state: SandboxState;
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Delay before every answer, e.g. for benchmarks. */
  latencyMs?: number;
  /** Clock for `date_created`/`date_updated`. */
  now?: () => Date;
  /** Only tests pass one; the CLI's sandbox answers every request as Twilio would. */
  faults?: FaultController;
  /** Told of each REST request on arrival; the record is filled in as it is answered. */
  onRequest?: (record: RecordedRequest) => void;
  /** Told of each REST request once answered. */
  onAnswer?: (record: RecordedRequest) => void;
  /** Made once the server listens, with its base URL; without one, resources stay as created. */
  lifecycle?: (baseUrl: string) => SandboxLifecycle;
}

export interface SandboxServer {
  baseUrl: string;
  /** Forgets resources and the request count. */
  reset(): void;
  close(): Promise<void>;
}

/** Far above any form Twilio takes (a body is at most 1,600 characters, TwiML 4,000). */
const MAX_BODY_BYTES = 1024 * 1024;

/** The body as text, or null when it is larger than MAX_BODY_BYTES (the rest is not kept). */
function readBody(req: http.IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startSandboxServer(options: SandboxServerOptions): Promise<SandboxServer> {
  const { spec, credentials, state } = options;
  const { accountSid } = credentials;
  const now = options.now ?? (() => new Date());
  const timers = new Set<NodeJS.Timeout>();
  let seq = 0;
  let lifecycle: SandboxLifecycle | undefined;
  const operations: OperationContext = { state, accountSid, now, lifecycle: () => lifecycle };

  function later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  }

  /** Validates and performs one request; `record` gets the parsed parts filled in. */
  function handle(record: RecordedRequest, headers: http.IncomingHttpHeaders): Answer {
    const { method, path } = record;
    const match = spec.match(method, path);
    if (match.kind === 'no-path') return notFound(path);
    if (match.kind === 'method-not-allowed') {
      return { ...twilioError(405, 20004, 'Method not allowed'), headers: { Allow: match.allowed.join(', ') } };
    }
    const { operation, params } = match;
    record.operationId = operation.operationId;

    const unauthorized = {
      ...twilioError(401, 20003, 'Authenticate'),
      headers: { 'WWW-Authenticate': 'Basic realm="Twilio API"' },
    };
    if (record.auth.kind !== 'account' && record.auth.kind !== 'api-key') return unauthorized;
    if (params.AccountSid !== undefined && params.AccountSid !== accountSid) return unauthorized;
    // Twilio answers 404 for a malformed SID in the path.
    if (validatePathParams(operation, params).length > 0) return notFound(path);
    const queryProblem = validateQuery(operation, record.query)[0];
    if (queryProblem !== undefined) return answerForViolation(operation.operationId, queryProblem);

    if (operation.body !== null) {
      const mediaType = (record.contentType ?? '').split(';')[0]?.trim().toLowerCase();
      if (mediaType !== 'application/x-www-form-urlencoded') {
        return twilioError(400, 400, `Content-Type must be application/x-www-form-urlencoded, got '${record.contentType ?? ''}'`);
      }
      record.form = [...new URLSearchParams(record.rawBody)];
    } else if (record.rawBody !== '') {
      return twilioError(400, 400, `${operation.operationId} takes no request body`);
    }
    const formProblem = validateForm(operation, record.form)[0];
    if (formProblem !== undefined) return answerForViolation(operation.operationId, formProblem);
    const done = performOperation(operations, { operationId: operation.operationId, params, form: record.form, path, query: record.query, headers });
    record.resourceSid = done.resourceSid;
    return done.answer;
  }

  function send(res: http.ServerResponse, record: RecordedRequest, answer: Answer): void {
    if (res.destroyed || res.writableEnded) return;
    record.status = answer.status;
    const body = answer.body as { code?: unknown } | null;
    record.errorCode = answer.status >= 400 && typeof body?.code === 'number' ? body.code : null;
    writeJson(res, answer);
    options.onAnswer?.(record);
  }

  function sendRaw(res: http.ServerResponse, record: RecordedRequest, answer: RawAnswer): void {
    if (res.destroyed || res.writableEnded) return;
    record.status = answer.status;
    writeRaw(res, answer);
    options.onAnswer?.(record);
  }

  function applyFault(fault: FaultSpec, res: http.ServerResponse, record: RecordedRequest, answer: () => Answer): void {
    record.fault = fault.kind;
    switch (fault.kind) {
      case 'status': {
        const code = fault.code ?? (fault.status === 429 ? 20429 : 20500);
        const error = twilioError(fault.status, code, fault.message ?? (fault.status === 429 ? 'Too Many Requests' : 'Internal Server Error'));
        send(res, record, { ...error, headers: fault.retryAfter === undefined ? {} : { 'Retry-After': fault.retryAfter } });
        return;
      }
      case 'hang':
        if (fault.ms !== undefined) later(fault.ms, () => send(res, record, answer()));
        return;
      case 'reset':
        res.socket?.destroy();
        return;
      case 'malformed-json':
        sendRaw(res, record, {
          status: fault.status ?? (record.method === 'GET' ? 200 : 201),
          contentType: 'application/json',
          payload: '{"sid": "CA0123456789abcdef0123456789abcdef", "status": "que',
        });
        return;
      case 'html':
        sendRaw(res, record, {
          status: fault.status ?? 502,
          contentType: 'text/html',
          payload: '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>',
        });
        return;
    }
  }

  async function onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const rawBody = await readBody(req);
    if (rawBody === null) {
      writeJson(res, twilioError(413, 400, `The request body is larger than ${MAX_BODY_BYTES} bytes`));
      return;
    }
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    const own = lifecycle?.route({ method, url, headers: req.headers, rawBody }) ?? null;
    if (own !== null) {
      const answer = await own;
      if ('contentType' in answer) writeRaw(res, answer);
      else writeJson(res, answer);
      return;
    }
    seq += 1;
    const record: RecordedRequest = {
      seq,
      method,
      path: url.pathname,
      query: [...url.searchParams],
      form: [],
      rawBody,
      contentType: req.headers['content-type'] ?? null,
      auth: identify(req.headers.authorization, credentials),
      operationId: null,
      status: null,
      errorCode: null,
      fault: null,
      resourceSid: null,
    };
    options.onRequest?.(record);

    const fault = options.faults?.take(method, url.pathname) ?? null;
    let answered: Answer | undefined;
    const answer = () => (answered ??= handle(record, req.headers));
    if (fault !== null) {
      if (fault.processed === true) answer();
      applyFault(fault, res, record, answer);
      return;
    }
    const result = answer();
    if (options.latencyMs !== undefined && options.latencyMs > 0) later(options.latencyMs, () => send(res, record, result));
    else send(res, record, result);
  }

  const server = http.createServer((req, res) => {
    onRequest(req, res).catch((err: unknown) => {
      writeJson(res, twilioError(500, 20500, `Sandbox error: ${err instanceof Error ? err.message : String(err)}`));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  // A wildcard address is not one a client can use; recording URLs point at loopback then.
  const wildcard = address.address === '0.0.0.0' || address.address === '::';
  const host = wildcard ? '127.0.0.1' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const baseUrl = `http://${host}:${address.port}`;
  lifecycle = options.lifecycle?.(baseUrl);

  return {
    baseUrl,
    reset() {
      seq = 0;
      state.calls.clear();
      state.messages.clear();
      state.recordings.clear();
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await lifecycle?.close();
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive and hanging connections would otherwise hold close() open.
        server.closeAllConnections();
      });
    },
  };
}
