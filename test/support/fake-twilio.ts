// A fake Twilio REST API on 127.0.0.1 for tests and benchmarks. Every request is
// checked against Twilio's OpenAPI file (path, method, Basic auth, form content
// type, required/conditional/unknown parameters, enums, types, SID patterns),
// recorded, and answered the way Twilio answers. Faults can be injected to test
// the client's retry and unknown-outcome handling.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CallResource, MessageResource } from '../../src/twilio/types';
import { answerForViolation, notFound, twilioError, type ErrorAnswer } from './fake-twilio-errors';
import { buildCall, buildMessage, firstValue, rfc2822, type FormPairs } from './fake-twilio-resources';
import { loadTwilioSpec, type SpecOperation } from './twilio-spec';
import { validateForm, validatePathParams, validateQuery } from './twilio-spec-validate';

export const FAKE_ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
export const FAKE_AUTH_TOKEN = 'fake-auth-token-5b1f0c9e2d7a4e38';
export const FAKE_API_KEY_SID = `SK${'fedcba9876543210'.repeat(2)}`;
export const FAKE_API_KEY_SECRET = 'fake-api-key-secret-9c3e7d21a0b6';

export interface FakeApiKey {
  sid: string;
  secret: string;
}

export interface FakeTwilioOptions {
  accountSid?: string;
  authToken?: string;
  /** API keys accepted as Basic credentials; default one key (FAKE_API_KEY_SID). */
  apiKeys?: readonly FakeApiKey[];
  /** Delay before every answer, e.g. for benchmarks. */
  latencyMs?: number;
  /** Clock for `date_created`/`date_updated`. */
  now?: () => Date;
}

export type FakeTwilioFault =
  /** Twilio-style error JSON with this status (429 → code 20429, 5xx → 20500 by default). */
  | { kind: 'status'; status: number; code?: number; message?: string; retryAfter?: string }
  /** Answer normally but only after `ms` (omit `ms` to never answer). */
  | { kind: 'hang'; ms?: number }
  /** Destroy the socket once the request has been read: no response at all. */
  | { kind: 'reset' }
  /** A 2xx (default 201 for POST, 200 for GET) whose body is truncated JSON. */
  | { kind: 'malformed-json'; status?: number }
  /** An HTML error page, as a proxy or load balancer would send (default 502). */
  | { kind: 'html'; status?: number };

export interface FaultOptions {
  /** Which requests the fault applies to (default: any). `path` is a substring or RegExp. */
  match?: { method?: 'GET' | 'POST' | 'DELETE'; path?: string | RegExp };
  /** How many matching requests get the fault (default 1). */
  times?: number;
  /** Process the request (create the call/message) before answering with the fault:
   * models "Twilio did it but the answer was lost". Default false. */
  processed?: boolean;
}

export type FaultSpec = FakeTwilioFault & FaultOptions;

export type AuthIdentity =
  | { kind: 'account'; sid: string }
  | { kind: 'api-key'; sid: string }
  | { kind: 'missing' }
  | { kind: 'invalid'; username: string | null };

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
  fault: FakeTwilioFault['kind'] | null;
}

export interface FakeTwilio {
  baseUrl: string;
  accountSid: string;
  authToken: string;
  apiKeys: readonly FakeApiKey[];
  /** Every request received, in order (a live array; `reset()` empties it). */
  requests: RecordedRequest[];
  calls: Map<string, CallResource>;
  messages: Map<string, MessageResource>;
  inject(fault: FaultSpec): void;
  /** Faults injected but not yet used up. */
  pendingFaults(): number;
  /** Forgets requests, resources and pending faults. */
  reset(): void;
  close(): Promise<void>;
}

interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

const FINAL_CALL_STATUSES = new Set(['completed', 'canceled', 'failed', 'busy', 'no-answer']);

function fromError(error: ErrorAnswer): Answer {
  return { status: error.status, body: error.body };
}

function identify(header: string | undefined, accountSid: string, authToken: string, apiKeys: readonly FakeApiKey[]): AuthIdentity {
  if (header === undefined) return { kind: 'missing' };
  const match = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header);
  if (match?.[1] === undefined) return { kind: 'invalid', username: null };
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return { kind: 'invalid', username: null };
  const username = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  if (username === accountSid && password === authToken) return { kind: 'account', sid: username };
  if (apiKeys.some((key) => key.sid === username && key.secret === password)) return { kind: 'api-key', sid: username };
  return { kind: 'invalid', username };
}

function faultMatches(fault: FaultSpec, method: string, path: string): boolean {
  const match = fault.match;
  if (match === undefined) return true;
  if (match.method !== undefined && match.method !== method) return false;
  if (match.path === undefined) return true;
  return typeof match.path === 'string' ? path.includes(match.path) : match.path.test(path);
}

function listPage(key: string, path: string, items: unknown[]): Answer {
  return {
    status: 200,
    body: {
      [key]: items,
      end: Math.max(0, items.length - 1),
      first_page_uri: `${path}?PageSize=50&Page=0`,
      next_page_uri: null,
      page: 0,
      page_size: 50,
      previous_page_uri: null,
      start: 0,
      uri: `${path}?PageSize=50&Page=0`,
    },
  };
}

export async function startFakeTwilio(options: FakeTwilioOptions = {}): Promise<FakeTwilio> {
  const spec = loadTwilioSpec();
  const accountSid = options.accountSid ?? FAKE_ACCOUNT_SID;
  const authToken = options.authToken ?? FAKE_AUTH_TOKEN;
  const apiKeys = options.apiKeys ?? [{ sid: FAKE_API_KEY_SID, secret: FAKE_API_KEY_SECRET }];
  const now = options.now ?? (() => new Date());
  const requests: RecordedRequest[] = [];
  const calls = new Map<string, CallResource>();
  const messages = new Map<string, MessageResource>();
  let faults: Array<FaultSpec & { remaining: number }> = [];
  const timers = new Set<NodeJS.Timeout>();

  function later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  }

  function takeFault(method: string, path: string): FaultSpec | null {
    const index = faults.findIndex((fault) => faultMatches(fault, method, path));
    if (index < 0) return null;
    const fault = faults[index];
    if (fault === undefined) return null;
    fault.remaining -= 1;
    if (fault.remaining <= 0) faults.splice(index, 1);
    return fault;
  }

  function perform(operation: SpecOperation, params: Record<string, string>, form: FormPairs, path: string): Answer {
    const sid = params.Sid ?? '';
    switch (operation.operationId) {
      case 'CreateCall': {
        const call = buildCall(accountSid, form, now());
        calls.set(call.sid, call);
        return { status: 201, body: call };
      }
      case 'FetchCall': {
        const call = calls.get(sid);
        return call === undefined ? fromError(notFound(path)) : { status: 200, body: call };
      }
      case 'UpdateCall': {
        const call = calls.get(sid);
        if (call === undefined) return fromError(notFound(path));
        if (FINAL_CALL_STATUSES.has(call.status)) {
          return fromError(twilioError(400, 21220, 'Call is not in-progress. Cannot redirect.'));
        }
        const status = firstValue(form, 'Status');
        const at = rfc2822(now());
        const updated: CallResource = { ...call, date_updated: at };
        if (status === 'canceled' || status === 'completed') {
          updated.status = status;
          updated.end_time = at;
        }
        calls.set(sid, updated);
        return { status: 200, body: updated };
      }
      case 'DeleteCall':
        return calls.delete(sid) ? { status: 204, body: null } : fromError(notFound(path));
      case 'ListCall':
        return listPage('calls', path, [...calls.values()]);
      case 'CreateMessage': {
        const message = buildMessage(accountSid, form, now());
        messages.set(message.sid, message);
        return { status: 201, body: message };
      }
      case 'FetchMessage': {
        const message = messages.get(sid);
        return message === undefined ? fromError(notFound(path)) : { status: 200, body: message };
      }
      case 'UpdateMessage': {
        const message = messages.get(sid);
        if (message === undefined) return fromError(notFound(path));
        const updated: MessageResource = { ...message, date_updated: rfc2822(now()) };
        const body = firstValue(form, 'Body');
        if (body !== null) updated.body = body;
        if (firstValue(form, 'Status') === 'canceled') {
          if (message.status !== 'scheduled') {
            return fromError(twilioError(400, 30409, 'Message is not in a cancelable state.'));
          }
          updated.status = 'canceled';
        }
        messages.set(sid, updated);
        return { status: 200, body: updated };
      }
      case 'DeleteMessage':
        return messages.delete(sid) ? { status: 204, body: null } : fromError(notFound(path));
      case 'ListMessage':
        return listPage('messages', path, [...messages.values()]);
      default:
        return {
          status: 501,
          body: { code: 0, message: `${operation.operationId} is valid but not implemented by the fake`, more_info: '', status: 501 },
        };
    }
  }

  /** Validates and performs one request; `record` gets the parsed parts filled in. */
  function handle(method: string, rawUrl: string, rawBody: string, record: RecordedRequest): Answer {
    const url = new URL(rawUrl, 'http://fake.invalid');
    const path = url.pathname;
    const match = spec.match(method, path);
    if (match.kind === 'no-path') return fromError(notFound(path));
    if (match.kind === 'method-not-allowed') {
      return { ...fromError(twilioError(405, 20004, 'Method not allowed')), headers: { Allow: match.allowed.join(', ') } };
    }
    const { operation, params } = match;
    record.operationId = operation.operationId;

    if (record.auth.kind !== 'account' && record.auth.kind !== 'api-key') {
      return {
        ...fromError(twilioError(401, 20003, 'Authenticate')),
        headers: { 'WWW-Authenticate': 'Basic realm="Twilio API"' },
      };
    }
    if (params.AccountSid !== undefined && params.AccountSid !== accountSid) {
      return fromError(twilioError(401, 20003, 'Authenticate'));
    }
    // Twilio answers 404 for a malformed SID in the path.
    if (validatePathParams(operation, params).length > 0) return fromError(notFound(path));
    const queryProblem = validateQuery(operation, record.query)[0];
    if (queryProblem !== undefined) return fromError(answerForViolation(operation.operationId, queryProblem));

    if (operation.body !== null) {
      const mediaType = (record.contentType ?? '').split(';')[0]?.trim().toLowerCase();
      if (mediaType !== 'application/x-www-form-urlencoded') {
        return fromError(
          twilioError(400, 400, `Content-Type must be application/x-www-form-urlencoded, got '${record.contentType ?? ''}'`),
        );
      }
      record.form = [...new URLSearchParams(rawBody)];
    } else if (rawBody !== '') {
      return fromError(twilioError(400, 400, `${operation.operationId} takes no request body`));
    }
    const formProblem = validateForm(operation, record.form)[0];
    if (formProblem !== undefined) return fromError(answerForViolation(operation.operationId, formProblem));
    return perform(operation, params, record.form, path);
  }

  function send(res: http.ServerResponse, record: RecordedRequest, answer: Answer): void {
    if (res.destroyed || res.writableEnded) return;
    record.status = answer.status;
    const body = answer.body as { code?: unknown } | null;
    record.errorCode = answer.status >= 400 && typeof body?.code === 'number' ? body.code : null;
    const payload = answer.body === null ? '' : JSON.stringify(answer.body);
    res.writeHead(answer.status, {
      ...(payload === '' ? {} : { 'Content-Type': 'application/json; charset=utf-8' }),
      ...answer.headers,
    });
    res.end(payload);
  }

  function sendRaw(res: http.ServerResponse, record: RecordedRequest, status: number, contentType: string, payload: string): void {
    if (res.destroyed || res.writableEnded) return;
    record.status = status;
    res.writeHead(status, { 'Content-Type': contentType });
    res.end(payload);
  }

  function applyFault(fault: FaultSpec, res: http.ServerResponse, record: RecordedRequest, answer: () => Answer): void {
    record.fault = fault.kind;
    switch (fault.kind) {
      case 'status': {
        const code = fault.code ?? (fault.status === 429 ? 20429 : 20500);
        const error = twilioError(fault.status, code, fault.message ?? (fault.status === 429 ? 'Too Many Requests' : 'Internal Server Error'));
        send(res, record, { ...fromError(error), headers: fault.retryAfter === undefined ? {} : { 'Retry-After': fault.retryAfter } });
        return;
      }
      case 'hang':
        if (fault.ms !== undefined) later(fault.ms, () => send(res, record, answer()));
        return;
      case 'reset':
        res.socket?.destroy();
        return;
      case 'malformed-json':
        sendRaw(res, record, fault.status ?? (record.method === 'GET' ? 200 : 201), 'application/json', '{"sid": "CA0123456789abcdef0123456789abcdef", "status": "que');
        return;
      case 'html':
        sendRaw(res, record, fault.status ?? 502, 'text/html', '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>');
        return;
    }
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const method = req.method ?? 'GET';
      const rawUrl = req.url ?? '/';
      const url = new URL(rawUrl, 'http://fake.invalid');
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const record: RecordedRequest = {
        seq: requests.length + 1,
        method,
        path: url.pathname,
        query: [...url.searchParams],
        form: [],
        rawBody,
        contentType: req.headers['content-type'] ?? null,
        auth: identify(req.headers.authorization, accountSid, authToken, apiKeys),
        operationId: null,
        status: null,
        errorCode: null,
        fault: null,
      };
      requests.push(record);

      const fault = takeFault(method, url.pathname);
      let answered: Answer | undefined;
      const answer = () => (answered ??= handle(method, rawUrl, rawBody, record));
      if (fault !== null) {
        if (fault.processed === true) answer();
        applyFault(fault, res, record, answer);
        return;
      }
      const result = answer();
      if (options.latencyMs !== undefined && options.latencyMs > 0) later(options.latencyMs, () => send(res, record, result));
      else send(res, record, result);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    accountSid,
    authToken,
    apiKeys,
    requests,
    calls,
    messages,
    inject(fault) {
      const times = fault.times ?? 1;
      if (!Number.isInteger(times) || times < 1) throw new Error('inject: `times` must be a positive integer');
      faults.push({ ...fault, remaining: times });
    },
    pendingFaults() {
      return faults.reduce((sum, fault) => sum + fault.remaining, 0);
    },
    reset() {
      requests.length = 0;
      calls.clear();
      messages.clear();
      faults = [];
    },
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      return new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive and hanging connections would otherwise hold close() open.
        server.closeAllConnections();
      });
    },
  };
}
