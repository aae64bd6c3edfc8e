// Typed failures of the Twilio client. Each one says whether the request may have
// taken effect (`outcome`), which is what the outbox needs to decide between
// "failed", "retry later" and "unknown". None of them carries credentials: they are
// built only from the method, the path (account SID is an identifier, not a secret),
// the status and Twilio's error body.

export type TwilioOperation = 'createCall' | 'sendMessage' | 'updateCall' | 'fetchCall' | 'fetchMessage' | 'listCalls' | 'listMessages';

/**
 * - `rejected`: Twilio answered with an error; nothing was done.
 * - `not-sent`: the request never left this process (bad input, connection refused).
 * - `unknown`: the request may have reached Twilio; it may or may not have taken effect.
 */
export type TwilioOutcome = 'rejected' | 'not-sent' | 'unknown';

export interface TwilioRequestInfo {
  operation: TwilioOperation;
  method: 'GET' | 'POST';
  path: string;
  /** HTTP attempts made, retries included. */
  attempts: number;
}

export abstract class TwilioError extends Error {
  abstract readonly outcome: TwilioOutcome;
  readonly operation: TwilioOperation | null;
  readonly method: 'GET' | 'POST' | null;
  readonly path: string | null;
  readonly attempts: number;

  protected constructor(message: string, request: TwilioRequestInfo | null) {
    super(message);
    this.operation = request?.operation ?? null;
    this.method = request?.method ?? null;
    this.path = request?.path ?? null;
    this.attempts = request?.attempts ?? 0;
  }
}

/** Twilio answered with a non-2xx status (for POST: a 4xx, or a 429 we stopped retrying). */
export class TwilioApiError extends TwilioError {
  override readonly name = 'TwilioApiError';
  readonly outcome = 'rejected';
  readonly status: number;
  /** Twilio error code, e.g. 21211; null when the body was not Twilio's error JSON. */
  readonly code: number | null;
  readonly moreInfo: string | null;
  /** Delay asked for by `Retry-After` on a 429/503, in milliseconds. */
  readonly retryAfterMs: number | null;

  constructor(
    fields: { status: number; code: number | null; message: string; moreInfo: string | null; retryAfterMs?: number | null },
    request: TwilioRequestInfo,
  ) {
    super(fields.message, request);
    this.status = fields.status;
    this.code = fields.code;
    this.moreInfo = fields.moreInfo;
    this.retryAfterMs = fields.retryAfterMs ?? null;
  }
}

export type UnknownOutcomeReason = 'timeout' | 'connection-lost' | 'server-error' | 'malformed-response';

/**
 * The request was (or may have been) sent and no usable answer came back. For a POST
 * the call or message may exist at Twilio, so it must not be sent again blindly;
 * reconcile later (status callbacks or a list query) instead.
 */
export class TwilioUnknownOutcomeError extends TwilioError {
  override readonly name = 'TwilioUnknownOutcomeError';
  readonly outcome = 'unknown';
  readonly reason: UnknownOutcomeReason;
  /** HTTP status when an answer arrived (5xx, or 2xx with a bad body). */
  readonly status: number | null;
  readonly code: number | null;

  constructor(
    fields: { reason: UnknownOutcomeReason; message: string; status?: number | null; code?: number | null },
    request: TwilioRequestInfo,
  ) {
    super(fields.message, request);
    this.reason = fields.reason;
    this.status = fields.status ?? null;
    this.code = fields.code ?? null;
  }
}

/** No connection could be made (refused, DNS failure): the request was never sent. */
export class TwilioConnectionError extends TwilioError {
  override readonly name = 'TwilioConnectionError';
  readonly outcome = 'not-sent';
  /** System error code such as ECONNREFUSED or ENOTFOUND. */
  readonly causeCode: string | null;

  constructor(fields: { message: string; causeCode: string | null }, request: TwilioRequestInfo) {
    super(fields.message, request);
    this.causeCode = fields.causeCode;
  }
}

/** Invalid client options or request input, caught before anything was sent. */
export class TwilioInputError extends TwilioError {
  override readonly name = 'TwilioInputError';
  readonly outcome = 'not-sent';

  constructor(message: string) {
    super(message, null);
  }
}
