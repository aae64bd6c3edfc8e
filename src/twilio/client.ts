// The Twilio REST client: option checks, paths, and the operations the app uses.
import { TwilioInputError } from './errors';
import { CREATE_CALL_PARAMS, encodeForm, SEND_MESSAGE_PARAMS, UPDATE_CALL_PARAMS } from './form';
import { createHttpRequester, type HttpRequester } from './http';
import { callListQuery, checkedPageUri, messageListQuery, toPage, type CallListFilter, type CallPage, type MessageListFilter, type MessagePage } from './list';
import { createTransport, type AttemptHook } from './transport';
import type {
  CallResource,
  CreateCallInput,
  CreateCallOptions,
  MessageResource,
  SendMessageInput,
  SendMessageOptions,
  UpdateCallInput,
} from './types';

export const DEFAULT_TWILIO_API_BASE_URL = 'https://api.twilio.com';

export interface TwilioClientOptions {
  /** Default https://api.twilio.com (env TWILIO_API_BASE_URL); tests point it at the fake. */
  baseUrl?: string;
  /** AC…; always the account in the path, even when authenticating with an API key. */
  accountSid: string;
  /** Used for Basic auth unless an API key is given. */
  authToken?: string;
  /** SK…; with `apiKeySecret`, replaces the auth token as Basic credentials. */
  apiKeySid?: string;
  apiKeySecret?: string;
  /** Per-attempt timeout, default 10 000 ms. */
  timeoutMs?: number;
  /** Retries after the first attempt, default 3. */
  maxRetries?: number;
  /** Full-jitter backoff: first ceiling (default 200 ms) and cap (default 5 000 ms). A
   * Retry-After longer than the cap is not waited for: the 429 is returned instead. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
  /** Runs right before every HTTP attempt of every request. */
  onAttempt?: AttemptHook;
  /** The HTTP exchange; keep-alive node:http by default. A test seam. */
  http?: HttpRequester;
  userAgent?: string;
}

export interface RequestOptions {
  /** Runs right before each HTTP attempt of this request, after `onAttempt`. The outbox
   * marks its row "in flight" here. If it throws, nothing is sent. */
  beforeSend?: AttemptHook;
}

export interface TwilioClient {
  createCall(input: CreateCallInput, options?: RequestOptions): Promise<CallResource>;
  sendMessage(input: SendMessageInput, options?: RequestOptions): Promise<MessageResource>;
  updateCall(sid: string, input: UpdateCallInput, options?: RequestOptions): Promise<CallResource>;
  fetchCall(sid: string, options?: RequestOptions): Promise<CallResource>;
  fetchMessage(sid: string, options?: RequestOptions): Promise<MessageResource>;
  /** One page of messages matching the filter; with `pageUri` (a previous page's
   * `nextPageUri`), the page it names instead, and the filter is ignored. */
  listMessages(filter: MessageListFilter, page?: { pageUri?: string }): Promise<MessagePage>;
  listCalls(filter: CallListFilter, page?: { pageUri?: string }): Promise<CallPage>;
}

const ACCOUNT_SID = /^AC[0-9a-fA-F]{32}$/;
const API_KEY_SID = /^SK[0-9a-fA-F]{32}$/;
const CALL_SID = /^CA[0-9a-fA-F]{32}$/;
const MESSAGE_SID = /^(SM|MM)[0-9a-fA-F]{32}$/;

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function checkedBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TwilioInputError('Expected `baseUrl` to be an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TwilioInputError('Expected `baseUrl` to use http or https');
  }
  // Never echo the URL: credentials embedded in it would end up in the message.
  if (url.username !== '' || url.password !== '') {
    throw new TwilioInputError('`baseUrl` must not contain credentials');
  }
  return url.href.replace(/\/+$/, '');
}

function checkedCount(name: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min) {
    throw new TwilioInputError(`Expected \`${name}\` to be an integer >= ${min}`);
  }
  return value;
}

function basicAuthorization(options: TwilioClientOptions): string {
  const hasKeySid = options.apiKeySid !== undefined && options.apiKeySid !== '';
  const hasKeySecret = options.apiKeySecret !== undefined && options.apiKeySecret !== '';
  if (hasKeySid !== hasKeySecret) {
    throw new TwilioInputError('`apiKeySid` and `apiKeySecret` must be given together');
  }
  let username: string;
  let password: string;
  if (hasKeySid) {
    if (!API_KEY_SID.test(options.apiKeySid ?? '')) {
      throw new TwilioInputError('Expected `apiKeySid` to look like SK followed by 32 hex digits');
    }
    username = options.apiKeySid ?? '';
    password = options.apiKeySecret ?? '';
  } else {
    if (options.authToken === undefined || options.authToken === '') {
      throw new TwilioInputError('Expected `authToken`, or `apiKeySid` with `apiKeySecret`');
    }
    username = options.accountSid;
    password = options.authToken;
  }
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

function checkedSid(kind: string, pattern: RegExp, sid: string): string {
  // Also keeps `../` and other path tricks out of the URL.
  if (typeof sid !== 'string' || !pattern.test(sid)) {
    throw new TwilioInputError(`Expected a ${kind} SID (${pattern.source})`);
  }
  return sid;
}

export function createTwilioClient(options: TwilioClientOptions): TwilioClient {
  if (typeof options.accountSid !== 'string' || !ACCOUNT_SID.test(options.accountSid)) {
    throw new TwilioInputError('Expected `accountSid` to look like AC followed by 32 hex digits');
  }
  const baseDelayMs = checkedCount('baseDelayMs', options.baseDelayMs, 200, 0);
  const send = createTransport({
    baseUrl: checkedBaseUrl(options.baseUrl ?? DEFAULT_TWILIO_API_BASE_URL),
    authorization: basicAuthorization(options),
    timeoutMs: checkedCount('timeoutMs', options.timeoutMs, 10_000, 1),
    maxRetries: checkedCount('maxRetries', options.maxRetries, 3, 0),
    backoff: { baseDelayMs, maxDelayMs: checkedCount('maxDelayMs', options.maxDelayMs, 5_000, baseDelayMs) },
    sleep: options.sleep ?? defaultSleep,
    random: options.random ?? Math.random,
    now: options.now ?? Date.now,
    http: options.http ?? createHttpRequester(),
    userAgent: options.userAgent ?? 'switchboard-twilio-client/0.1',
    onAttempt: options.onAttempt,
  });
  const accountPath = `/2010-04-01/Accounts/${options.accountSid}`;

  return {
    async createCall(input, requestOptions) {
      const form = encodeForm<CreateCallOptions>(input, CREATE_CALL_PARAMS);
      const path = `${accountPath}/Calls.json`;
      const resource = await send({ operation: 'createCall', method: 'POST', path, form, beforeSend: requestOptions?.beforeSend });
      return resource as unknown as CallResource;
    },

    async sendMessage(input, requestOptions) {
      const form = encodeForm<SendMessageOptions>(input, SEND_MESSAGE_PARAMS);
      const path = `${accountPath}/Messages.json`;
      const resource = await send({ operation: 'sendMessage', method: 'POST', path, form, beforeSend: requestOptions?.beforeSend });
      return resource as unknown as MessageResource;
    },

    async updateCall(sid, input, requestOptions) {
      const path = `${accountPath}/Calls/${checkedSid('Call', CALL_SID, sid)}.json`;
      const form = encodeForm(input, UPDATE_CALL_PARAMS);
      const resource = await send({ operation: 'updateCall', method: 'POST', path, form, beforeSend: requestOptions?.beforeSend });
      return resource as unknown as CallResource;
    },

    async fetchCall(sid, requestOptions) {
      const path = `${accountPath}/Calls/${checkedSid('Call', CALL_SID, sid)}.json`;
      const resource = await send({ operation: 'fetchCall', method: 'GET', path, beforeSend: requestOptions?.beforeSend });
      return resource as unknown as CallResource;
    },

    async fetchMessage(sid, requestOptions) {
      const path = `${accountPath}/Messages/${checkedSid('Message', MESSAGE_SID, sid)}.json`;
      const resource = await send({ operation: 'fetchMessage', method: 'GET', path, beforeSend: requestOptions?.beforeSend });
      return resource as unknown as MessageResource;
    },

    async listMessages(filter, page) {
      const list = `${accountPath}/Messages.json`;
      const path = page?.pageUri === undefined ? list + messageListQuery(filter) : checkedPageUri(list, page.pageUri);
      return toPage<MessageResource>(await send({ operation: 'listMessages', method: 'GET', path, listKey: 'messages' }), 'messages');
    },

    async listCalls(filter, page) {
      const list = `${accountPath}/Calls.json`;
      const path = page?.pageUri === undefined ? list + callListQuery(filter) : checkedPageUri(list, page.pageUri);
      return toPage<CallResource>(await send({ operation: 'listCalls', method: 'GET', path, listKey: 'calls' }), 'calls');
    },
  };
}
