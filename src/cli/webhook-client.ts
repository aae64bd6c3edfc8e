import { SIMULATED_TIME_HEADER, SIMULATED_TIME_SIGNATURE_HEADER, simulatedTimeSignature } from '../security/simulated-time';
import { computeTwilioSignature } from '../security/twilio-signature';
import { CliError } from './errors';

export type Params = Array<[string, string]>;

export interface WebhookTarget {
  /** Signs every request like Twilio when set. */
  authToken: string | undefined;
  /**
   * PUBLIC_BASE_URL: the origin (and path prefix) Twilio uses. Requests are sent to the server
   * we were pointed at but signed for this URL, since that is the URL the server checks.
   */
  publicBaseUrl: string | undefined;
  /** Origin of the server the requests really go to (from `--url`). */
  serverOrigin: string;
  timeoutMs: number;
  /**
   * `--at`: the moment the server should evaluate the webhooks at (business hours), sent signed
   * with the auth token, which the server requires. Its clock is not changed.
   */
  simulatedTime?: Date;
}

export interface WebhookRequest {
  method: 'GET' | 'POST';
  /** The URL as Twilio sees it (public). */
  url: string;
  params: Params;
}

export interface WebhookExchange {
  method: 'GET' | 'POST';
  /** Where the request went. */
  url: string;
  /** The URL the signature covers (what Twilio would have requested). */
  publicUrl: string;
  params: Record<string, string>;
  signed: boolean;
  status: number;
  contentType: string;
  body: string;
}

/**
 * A request that got no usable answer: no connection or no answer in time (`connection`), or an
 * answer too large to be TwiML (`too-large`). Typed so that a caller playing Twilio can name the
 * error Twilio's debugger would log for each.
 */
export class WebhookTransportError extends CliError {
  constructor(
    message: string,
    readonly kind: 'connection' | 'too-large',
  ) {
    super(message);
    this.name = 'WebhookTransportError';
  }
}

/** Twilio gives a webhook 15 s; waiting longer would hide a slow server. */
export const WEBHOOK_TIMEOUT_MS = 15_000;
/** TwiML documents are small; a larger answer is a misconfigured URL. */
const MAX_BODY_CHARS = 1_000_000;

/** The public URL for a request sent to `sendUrl`. */
export function publicUrlFor(target: Pick<WebhookTarget, 'publicBaseUrl'>, sendUrl: string): string {
  if (target.publicBaseUrl === undefined) return sendUrl;
  const url = new URL(sendUrl);
  return target.publicBaseUrl + url.pathname + url.search;
}

/** The address to send to for a public URL: ours go to the server, any other URL as it is. */
export function sendUrlFor(target: Pick<WebhookTarget, 'publicBaseUrl' | 'serverOrigin'>, publicUrl: string): string {
  const base = target.publicBaseUrl;
  if (base === undefined || !publicUrl.startsWith(base)) return publicUrl;
  const rest = publicUrl.slice(base.length);
  if (rest !== '' && !rest.startsWith('/') && !rest.startsWith('?')) return publicUrl;
  return target.serverOrigin + (rest.startsWith('/') ? rest : `/${rest}`);
}

/** Sends one webhook request as Twilio would: form POST (or GET with the query), signed. */
export async function sendWebhook(target: WebhookTarget, request: WebhookRequest): Promise<WebhookExchange> {
  const form = new URLSearchParams(request.params).toString();
  const publicUrl =
    request.method === 'GET' && form !== '' ? `${request.url}${request.url.includes('?') ? '&' : '?'}${form}` : request.url;
  const url = sendUrlFor(target, publicUrl);
  const headers: Record<string, string> = { 'User-Agent': 'TwilioProxy/1.1 (switchboard simulate)' };
  if (request.method === 'POST') headers['Content-Type'] = 'application/x-www-form-urlencoded';
  if (target.authToken !== undefined) {
    // GET parameters are part of the URL, so only POST parameters enter the signature separately.
    headers['X-Twilio-Signature'] = computeTwilioSignature(target.authToken, publicUrl, request.method === 'POST' ? request.params : []);
    if (target.simulatedTime !== undefined) {
      const time = target.simulatedTime.toISOString();
      const sid = request.params.find(([name]) => name === 'CallSid' || name === 'MessageSid')?.[1] ?? '';
      headers[SIMULATED_TIME_HEADER] = time;
      headers[SIMULATED_TIME_SIGNATURE_HEADER] = simulatedTimeSignature(target.authToken, time, sid);
    }
  }
  let response: Response;
  try {
    response = await fetch(url, {
      method: request.method,
      headers,
      body: request.method === 'POST' ? form : undefined,
      signal: AbortSignal.timeout(target.timeoutMs),
    });
  } catch (err) {
    throw new WebhookTransportError(`cannot reach ${url}: ${networkReason(err)}`, 'connection');
  }
  let body: string;
  try {
    body = await response.text();
  } catch (err) {
    // The answer started but did not finish in time (or the connection broke mid-body).
    throw new WebhookTransportError(`cannot reach ${url}: ${networkReason(err)}`, 'connection');
  }
  if (body.length > MAX_BODY_CHARS) {
    throw new WebhookTransportError(`${request.method} ${url} answered more than ${MAX_BODY_CHARS} characters; that is not TwiML`, 'too-large');
  }
  return {
    method: request.method,
    url,
    publicUrl,
    params: Object.fromEntries(request.params),
    signed: target.authToken !== undefined,
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    body,
  };
}

/** One transcript line saying how requests are signed, since that decides whether the server accepts them. */
export function signingNote(target: Pick<WebhookTarget, 'authToken' | 'publicBaseUrl'>): string {
  if (target.authToken === undefined) return 'Requests are not signed (TWILIO_AUTH_TOKEN is not set)';
  if (target.publicBaseUrl === undefined) return 'Requests are signed with TWILIO_AUTH_TOKEN';
  return `Requests are signed with TWILIO_AUTH_TOKEN for ${target.publicBaseUrl} (the URL Twilio would use)`;
}

/** The transcript line for `--at`, when it is given. */
export function simulatedTimeNote(target: Pick<WebhookTarget, 'simulatedTime'>): string[] {
  if (target.simulatedTime === undefined) return [];
  return [`The server answers as if it were ${target.simulatedTime.toISOString()} (--at; its clock is not changed)`];
}

/** fetch hides the socket error in `cause`; that is the part worth showing. */
export function networkReason(err: unknown): string {
  const error = err as Error & { cause?: { code?: string; message?: string } };
  if (error.name === 'TimeoutError') return 'no answer in time';
  const code = error.cause?.code;
  if (code === 'ECONNREFUSED') return 'connection refused (is the server running? try npm start)';
  if (code === 'ENOTFOUND') return 'unknown host';
  return error.cause?.message ?? error.message;
}

/** A refused request as one line: the status and the first line of the server's reason. */
export function refusal(exchange: WebhookExchange): string {
  const reason = exchange.body.trim().split('\n')[0]?.slice(0, 200) ?? '';
  return `${exchange.method} ${exchange.url} answered ${exchange.status}${reason === '' ? '' : `: ${reason}`}`;
}

export interface SimulatedRequest {
  method: 'GET' | 'POST';
  url: string;
  publicUrl: string;
  params: Record<string, string>;
  signed: boolean;
}

export function requestOf(exchange: WebhookExchange): SimulatedRequest {
  const { method: verb, url, publicUrl, params, signed } = exchange;
  return { method: verb, url, publicUrl, params, signed };
}

/** Relative URLs in TwiML are relative to the document's URL, as in a browser. */
export function resolve(reference: string, base: string): string {
  try {
    return new URL(reference, base).href;
  } catch {
    throw new CliError(`"${reference}" is not a URL`);
  }
}

export function method(value: string | undefined): 'GET' | 'POST' {
  return value?.toUpperCase() === 'GET' ? 'GET' : 'POST';
}
