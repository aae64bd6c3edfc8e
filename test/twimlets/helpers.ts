import request from 'supertest';
import type { TestApp } from '../support/app';

export const DECL = '<?xml version="1.0" encoding="UTF-8"?>';
export const doc = (body: string) => DECL + body;
export const HANGUP = doc('<Response><Hangup/></Response>');

/** A GET as Twilio sends it to a number configured for GET: everything in the query. */
export function get(t: TestApp, path: string) {
  return request(t.app).get(path);
}

/** A POST as Twilio sends it: the configuration stays in the URL, call state in the form body. */
export function post(t: TestApp, path: string, form: Record<string, string> = {}) {
  return request(t.app).post(path).type('form').send(form);
}
