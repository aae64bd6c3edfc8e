export { createTwilioClient, DEFAULT_TWILIO_API_BASE_URL } from './client';
export type { RequestOptions, TwilioClient, TwilioClientOptions } from './client';
export type { AttemptHook, AttemptInfo } from './transport';
export { createHttpRequester } from './http';
export { MAX_PAGE_SIZE } from './list';
export type { CallListFilter, CallPage, ListPage, MessageListFilter, MessagePage } from './list';
export type { HttpAnswer, HttpRequest, HttpRequester } from './http';
export {
  TwilioApiError,
  TwilioConnectionError,
  TwilioError,
  TwilioInputError,
  TwilioUnknownOutcomeError,
} from './errors';
export type { TwilioOperation, TwilioOutcome, UnknownOutcomeReason } from './errors';
export type {
  CallDirection,
  CallResource,
  CallStatus,
  CallStatusCallbackEvent,
  CreateCallInput,
  CreateCallOptions,
  HttpMethod,
  MessageDirection,
  MessageResource,
  MessageStatus,
  RecordingStatusCallbackEvent,
  SendMessageInput,
  SendMessageOptions,
  UpdateCallInput,
} from './types';
