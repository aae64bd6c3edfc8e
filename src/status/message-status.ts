import type { MessageStatusEvent } from '../store/status-types';
import { advances, mergeField, rankTable, sameFields, type StatusOrder, type Transition } from './ordering';

const MESSAGE_FINAL_STATUSES = ['undelivered', 'failed', 'canceled', 'read', 'received'] as const;

/** `read` (WhatsApp) comes after `delivered`, so `delivered` is the one outcome that is not final. */
export const MESSAGE_ORDER: StatusOrder = {
  ranks: rankTable([
    ['accepted', 'scheduled', 'queued', 'receiving'],
    ['sending'],
    ['sent'],
    ['delivered', 'undelivered', 'failed', 'canceled', 'received'],
    ['read'],
  ]),
  final: new Set(MESSAGE_FINAL_STATUSES),
};

export interface MessageState {
  status: string;
  errorCode: number | null;
  price: string | null;
  priceUnit: string | null;
}

export function initialMessageState(event: MessageStatusEvent): MessageState {
  return { status: event.status, errorCode: event.errorCode, price: event.price, priceUnit: event.priceUnit };
}

/** Message callbacks carry no SequenceNumber: at equal rank the first status stays. */
export function nextMessageState(current: MessageState, event: MessageStatusEvent): Transition<MessageState> {
  const applied = advances(MESSAGE_ORDER, { status: current.status, sequence: null }, { status: event.status, sequence: null });
  const state: MessageState = {
    status: applied ? event.status : current.status,
    errorCode: mergeField(current.errorCode, event.errorCode, applied),
    price: mergeField(current.price, event.price, applied),
    priceUnit: mergeField(current.priceUnit, event.priceUnit, applied),
  };
  return { state, statusApplied: applied, changed: !sameFields(current, state) };
}
