// One Twilio request with its retry loop. The rule (README, "Why POSTs are not retried blindly"): retry
// only what cannot create a second call or message — a 429, a connection that was
// never opened, or any failure of a GET. Everything else that happens after a POST
// went out is an unknown outcome.
import {
  TwilioApiError,
  TwilioConnectionError,
  TwilioUnknownOutcomeError,
  type TwilioOperation,
  type TwilioRequestInfo,
} from './errors';
import type { HttpRequester } from './http';
import { backoffDelay, connectPhaseCode, describeCause, isTimeout, parseRetryAfter, type BackoffPolicy } from './retry';

export interface AttemptInfo {
  operation: TwilioOperation;
  method: 'GET' | 'POST';
  path: string;
  /** 1 for the first attempt, 2 for the first retry, ... */
  attempt: number;
}

/** Runs right before each HTTP attempt; if it throws, nothing is sent and the error propagates. */
export type AttemptHook = (attempt: AttemptInfo) => void | Promise<void>;

export interface TransportConfig {
  baseUrl: string;
  authorization: string;
  timeoutMs: number;
  maxRetries: number;
  backoff: BackoffPolicy;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  now: () => number;
  http: HttpRequester;
  userAgent: string;
  onAttempt: AttemptHook | undefined;
}

export interface TransportRequest {
  operation: TwilioOperation;
  method: 'GET' | 'POST';
  path: string;
  form?: URLSearchParams;
  beforeSend?: AttemptHook | undefined;
  /** A list read: the answer is a page whose items are the array under this key, not a resource. */
  listKey?: string;
}

interface TwilioErrorBody {
  json: boolean;
  code: number | null;
  message: string | null;
  moreInfo: string | null;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function parseErrorBody(text: string): TwilioErrorBody {
  const body = parseJson(text);
  if (typeof body !== 'object' || body === null) return { json: false, code: null, message: null, moreInfo: null };
  const fields = body as Record<string, unknown>;
  return {
    json: true,
    code: typeof fields.code === 'number' ? fields.code : null,
    message: typeof fields.message === 'string' ? fields.message : null,
    moreInfo: typeof fields.more_info === 'string' ? fields.more_info : null,
  };
}

/**
 * A resource body is a JSON object with a string `sid`; a list page, an object with an array
 * under `listKey`. Anything else is malformed.
 */
function parseResource(text: string, listKey: string | undefined): Record<string, unknown> | null {
  const body = parseJson(text);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const fields = body as Record<string, unknown>;
  if (listKey !== undefined) return Array.isArray(fields[listKey]) ? fields : null;
  return typeof fields.sid === 'string' ? fields : null;
}

export function createTransport(config: TransportConfig) {
  const baseHeaders: Record<string, string> = {
    Authorization: config.authorization,
    Accept: 'application/json',
    'Accept-Charset': 'utf-8',
    'User-Agent': config.userAgent,
  };

  return async function send(request: TransportRequest): Promise<Record<string, unknown>> {
    const isGet = request.method === 'GET';
    const url = config.baseUrl + request.path;
    const headers =
      request.form === undefined
        ? baseHeaders
        : { ...baseHeaders, 'Content-Type': 'application/x-www-form-urlencoded' };
    const body = request.form?.toString();

    for (let attempt = 1; ; attempt++) {
      const info: TwilioRequestInfo = { operation: request.operation, method: request.method, path: request.path, attempts: attempt };
      const canRetry = attempt <= config.maxRetries;
      const backoff = () => backoffDelay(attempt - 1, config.backoff, config.random);

      const hookInfo: AttemptInfo = { operation: request.operation, method: request.method, path: request.path, attempt };
      await config.onAttempt?.(hookInfo);
      await request.beforeSend?.(hookInfo);

      let status: number;
      let retryAfterHeader: string | null;
      let text: string;
      try {
        ({ status, retryAfter: retryAfterHeader, text } = await config.http({ url, method: request.method, headers, body, timeoutMs: config.timeoutMs }));
      } catch (error) {
        const connectCode = connectPhaseCode(error);
        if (connectCode !== null) {
          if (canRetry) {
            await config.sleep(backoff());
            continue;
          }
          throw new TwilioConnectionError(
            { message: `Could not connect to Twilio (${connectCode}); the request was not sent`, causeCode: connectCode },
            info,
          );
        }
        if (isGet && canRetry) {
          await config.sleep(backoff());
          continue;
        }
        const timedOut = isTimeout(error);
        throw new TwilioUnknownOutcomeError(
          {
            reason: timedOut ? 'timeout' : 'connection-lost',
            message: timedOut
              ? `No answer from Twilio within ${config.timeoutMs} ms; the request may have been processed`
              : `Connection to Twilio failed after sending (${describeCause(error)}); the request may have been processed`,
          },
          info,
        );
      }

      if (status >= 200 && status < 300) {
        const resource = parseResource(text, request.listKey);
        if (resource !== null) return resource;
        if (isGet && canRetry) {
          await config.sleep(backoff());
          continue;
        }
        throw new TwilioUnknownOutcomeError(
          { reason: 'malformed-response', status, message: `Twilio answered HTTP ${status} with a body that is not a resource` },
          info,
        );
      }

      const retryAfterMs = parseRetryAfter(retryAfterHeader, config.now());
      const honourable = retryAfterMs === null || retryAfterMs <= config.backoff.maxDelayMs;
      // A 429 is never processed; a GET has no side effects. Both may go again.
      const retryable = status === 429 || (isGet && status >= 500);
      if (retryable && canRetry && honourable) {
        await config.sleep(retryAfterMs ?? backoff());
        continue;
      }

      const error = parseErrorBody(text);
      const message = error.message ?? `Twilio answered HTTP ${status}${error.json ? '' : ' with a non-JSON body'}`;
      if (!isGet && status >= 500) {
        throw new TwilioUnknownOutcomeError(
          { reason: 'server-error', status, code: error.code, message: `${message} (HTTP ${status}; the request may have been processed)` },
          info,
        );
      }
      throw new TwilioApiError({ status, code: error.code, message, moreInfo: error.moreInfo, retryAfterMs }, info);
    }
  };
}
