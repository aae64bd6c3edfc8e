// What each REST operation does to the sandbox's calls and messages, once the request has passed
// the spec checks: the answer Twilio gives, and the lifecycle told of what was created or ended.
import type * as http from 'node:http';
import type { CallResource, MessageResource } from '../twilio/types';
import type { Answer } from './answer';
import { notFound, twilioError } from './errors';
import { listPage, type ListField } from './list';
import { magicCallRefusal, magicMessageRefusal } from './magic-numbers';
import { recordingEventsProblem } from './recording-callbacks';
import { buildCall, buildMessage, firstValue, rfc2822, type FormPairs } from './resources';
import type { SandboxLifecycle } from './server';
import type { SandboxState } from './state';

export interface OperationContext {
  state: SandboxState;
  accountSid: string;
  now(): Date;
  /** Made after the server listens, so read when needed. */
  lifecycle(): SandboxLifecycle | undefined;
}

export interface OperationRequest {
  operationId: string;
  params: Record<string, string>;
  form: FormPairs;
  path: string;
  query: ReadonlyArray<[string, string]>;
  headers: http.IncomingHttpHeaders;
}

export interface OperationResult {
  answer: Answer;
  /** The call or message created, fetched or changed. */
  resourceSid: string | null;
}

const FINAL_CALL_STATUSES = new Set(['completed', 'canceled', 'failed', 'busy', 'no-answer']);
/** Twilio's limit on a message body (error 21617 past it). */
const MAX_BODY_LENGTH = 1600;

const CALL_FIELDS: ReadonlyArray<ListField<CallResource>> = [
  { name: 'To', kind: 'exact', value: (call) => call.to },
  { name: 'From', kind: 'exact', value: (call) => call.from },
  { name: 'Status', kind: 'exact', value: (call) => call.status },
  { name: 'ParentCallSid', kind: 'exact', value: (call) => call.parent_call_sid },
  { name: 'StartTime', kind: 'date', value: (call) => call.start_time },
  { name: 'EndTime', kind: 'date', value: (call) => call.end_time },
];

const MESSAGE_FIELDS: ReadonlyArray<ListField<MessageResource>> = [
  { name: 'To', kind: 'exact', value: (message) => message.to },
  { name: 'From', kind: 'exact', value: (message) => message.from },
  { name: 'DateSent', kind: 'date', value: (message) => message.date_sent },
];

function found(resource: CallResource | MessageResource | undefined, path: string): Answer {
  return resource === undefined ? notFound(path) : { status: 200, body: resource };
}

function removed(deleted: boolean, path: string): Answer {
  return deleted ? { status: 204, body: null } : notFound(path);
}

function createCall(ctx: OperationContext, request: OperationRequest): OperationResult {
  const { form } = request;
  const refusal = magicCallRefusal(firstValue(form, 'From'), firstValue(form, 'To'));
  if (refusal !== null) return { answer: refusal, resourceSid: null };
  // The spec types each RecordingStatusCallbackEvent as any string; its description names the three events.
  const events = recordingEventsProblem(form);
  if (events !== null) return { answer: twilioError(400, 400, events), resourceSid: null };
  const call = buildCall(ctx.accountSid, form, ctx.now());
  ctx.state.calls.set(call.sid, call);
  ctx.lifecycle()?.callCreated(call, form, request.headers);
  return { answer: { status: 201, body: call }, resourceSid: call.sid };
}

function updateCall(ctx: OperationContext, sid: string, form: FormPairs, path: string): Answer {
  const call = ctx.state.calls.get(sid);
  if (call === undefined) return notFound(path);
  if (FINAL_CALL_STATUSES.has(call.status)) {
    return twilioError(400, 21220, 'Call is not in-progress. Cannot redirect.');
  }
  const status = firstValue(form, 'Status');
  const at = rfc2822(ctx.now());
  const updated: CallResource = { ...call, date_updated: at };
  const ending = status === 'canceled' || status === 'completed';
  if (ending) {
    updated.status = status;
    updated.end_time = at;
  }
  ctx.state.calls.set(sid, updated);
  if (ending) ctx.lifecycle()?.callEnded(updated);
  else ctx.lifecycle()?.callUpdated(updated, form);
  return { status: 200, body: updated };
}

function createMessage(ctx: OperationContext, form: FormPairs): OperationResult {
  const refusal = magicMessageRefusal(firstValue(form, 'From'), firstValue(form, 'To'));
  if (refusal !== null) return { answer: refusal, resourceSid: null };
  if ((firstValue(form, 'Body') ?? '').length > MAX_BODY_LENGTH) {
    const error = twilioError(400, 21617, `The concatenated message body exceeds the ${MAX_BODY_LENGTH} character limit.`);
    return { answer: error, resourceSid: null };
  }
  const message = buildMessage(ctx.accountSid, form, ctx.now());
  ctx.state.messages.set(message.sid, message);
  ctx.lifecycle()?.messageCreated(message, form);
  return { answer: { status: 201, body: message }, resourceSid: message.sid };
}

function updateMessage(ctx: OperationContext, sid: string, form: FormPairs, path: string): Answer {
  const message = ctx.state.messages.get(sid);
  if (message === undefined) return notFound(path);
  const updated: MessageResource = { ...message, date_updated: rfc2822(ctx.now()) };
  // Twilio lets Body be changed only to redact it: to the empty string.
  const body = firstValue(form, 'Body');
  if (body !== null && body !== '') {
    return twilioError(400, 400, 'Body can only be set to an empty string, to redact the message');
  }
  if (body !== null) updated.body = body;
  if (firstValue(form, 'Status') === 'canceled') {
    if (message.status !== 'scheduled') {
      return twilioError(400, 30409, 'Message is not in a cancelable state.');
    }
    updated.status = 'canceled';
  }
  ctx.state.messages.set(sid, updated);
  return { status: 200, body: updated };
}

function answerFor(ctx: OperationContext, request: OperationRequest, sid: string): Answer {
  const { state } = ctx;
  const { form, path } = request;
  switch (request.operationId) {
    case 'FetchCall':
      return found(state.calls.get(sid), path);
    case 'UpdateCall':
      return updateCall(ctx, sid, form, path);
    case 'DeleteCall':
      return removed(state.calls.delete(sid), path);
    case 'ListCall':
      return { status: 200, body: listPage('calls', request, [...state.calls.values()], CALL_FIELDS).body };
    case 'FetchMessage':
      return found(state.messages.get(sid), path);
    case 'UpdateMessage':
      return updateMessage(ctx, sid, form, path);
    case 'DeleteMessage':
      return removed(state.messages.delete(sid), path);
    case 'ListMessage':
      return { status: 200, body: listPage('messages', request, [...state.messages.values()], MESSAGE_FIELDS).body };
    default:
      return {
        status: 501,
        body: { code: 0, message: `${request.operationId} is valid but not implemented by the sandbox`, more_info: '', status: 501 },
      };
  }
}

export function performOperation(ctx: OperationContext, request: OperationRequest): OperationResult {
  if (request.operationId === 'CreateCall') return createCall(ctx, request);
  if (request.operationId === 'CreateMessage') return createMessage(ctx, request.form);
  const sid = request.params.Sid;
  return { answer: answerFor(ctx, request, sid ?? ''), resourceSid: sid ?? null };
}
