import Database from 'better-sqlite3';
import request from 'supertest';
import type { TestApp } from '../support/app';

export const CALL_SID = 'CA' + 'a'.repeat(32);
export const MESSAGE_SID = 'SM' + 'b'.repeat(32);
export const RECORDING_SID = 'RE' + 'c'.repeat(32);
export const TRANSCRIPTION_SID = 'TR' + 'd'.repeat(32);
export const OUR_NUMBER = '+15550002222';
export const THEIR_NUMBER = '+15550001111';

export type Pairs = Record<string, string>;

/** Posts a form the way Twilio does, optionally with its retry token. */
export function postCallback(t: TestApp, path: string, params: Pairs, token?: string): request.Test {
  const req = request(t.app).post(path).type('form');
  if (token !== undefined) req.set('I-Twilio-Idempotency-Token', token);
  return req.send(params);
}

/** Rows straight from the SQLite file, through a separate read-only connection. */
export function dbRows(t: TestApp, sql: string, ...args: unknown[]): Array<Record<string, unknown>> {
  const db = new Database(t.config.databasePath, { readonly: true });
  try {
    return db.prepare(sql).all(...args) as Array<Record<string, unknown>>;
  } finally {
    db.close();
  }
}

export function callParams(status: string, sequence: number | undefined, extra: Pairs = {}): Pairs {
  const params: Pairs = { CallSid: CALL_SID, AccountSid: 'AC' + '0'.repeat(32), From: THEIR_NUMBER, To: OUR_NUMBER, CallStatus: status, Direction: 'inbound' };
  if (sequence !== undefined) params.SequenceNumber = String(sequence);
  return { ...params, ...extra };
}

export function messageParams(status: string, extra: Pairs = {}): Pairs {
  return {
    MessageSid: MESSAGE_SID,
    SmsSid: MESSAGE_SID,
    AccountSid: 'AC' + '0'.repeat(32),
    From: OUR_NUMBER,
    To: THEIR_NUMBER,
    MessageStatus: status,
    SmsStatus: status,
    ApiVersion: '2010-04-01',
    ...extra,
  };
}
