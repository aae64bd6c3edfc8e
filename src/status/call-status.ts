import type { CallStatusEvent } from '../store/status-types';
import { advances, mergeField, rankTable, sameFields, type StatusOrder, type Transition } from './ordering';

export const CALL_FINAL_STATUSES = ['completed', 'busy', 'no-answer', 'failed', 'canceled'] as const;

export const CALL_ORDER: StatusOrder = {
  ranks: rankTable([['queued', 'initiated'], ['ringing'], ['in-progress'], CALL_FINAL_STATUSES]),
  final: new Set(CALL_FINAL_STATUSES),
};

/** The columns of a call row that status callbacks maintain. */
export interface CallState {
  status: string;
  /** SequenceNumber of the event that set `status` (null when it came without one). */
  statusSequence: number | null;
  duration: number | null;
  price: string | null;
  priceUnit: string | null;
  errorCode: number | null;
  recordingUrl: string | null;
  answeredBy: string | null;
}

export function initialCallState(event: CallStatusEvent): CallState {
  return {
    status: event.status,
    statusSequence: event.sequenceNumber,
    duration: event.duration,
    price: event.price,
    priceUnit: event.priceUnit,
    errorCode: event.errorCode,
    recordingUrl: event.recordingUrl,
    answeredBy: event.answeredBy,
  };
}

export function nextCallState(current: CallState, event: CallStatusEvent): Transition<CallState> {
  const applied = advances(
    CALL_ORDER,
    { status: current.status, sequence: current.statusSequence },
    { status: event.status, sequence: event.sequenceNumber },
  );
  const state: CallState = {
    status: applied ? event.status : current.status,
    statusSequence: applied ? event.sequenceNumber : current.statusSequence,
    duration: mergeField(current.duration, event.duration, applied),
    price: mergeField(current.price, event.price, applied),
    priceUnit: mergeField(current.priceUnit, event.priceUnit, applied),
    errorCode: mergeField(current.errorCode, event.errorCode, applied),
    recordingUrl: mergeField(current.recordingUrl, event.recordingUrl, applied),
    answeredBy: mergeField(current.answeredBy, event.answeredBy, applied),
  };
  return { state, statusApplied: applied, changed: !sameFields(current, state) };
}
