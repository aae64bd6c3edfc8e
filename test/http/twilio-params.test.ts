import type { Request } from 'express';
import { parse } from 'node:querystring';
import { twilioParams } from '../../src/http/twilio-params';

const post = (body: unknown) => ({ method: 'POST', body, query: {} }) as unknown as Request;

describe('twilioParams', () => {
  test('a parsed form of strings is read as it is, names like __proto__ included', () => {
    const body = parse('CallSid=CA1&From=%2B15550001111&__proto__=x');
    const params = twilioParams(post(body));
    expect(Object.entries(params)).toEqual([
      ['CallSid', 'CA1'],
      ['From', '+15550001111'],
      ['__proto__', 'x'],
    ]);
    expect(Object.getPrototypeOf(params)).toBeNull();
    expect(params.toString).toBeUndefined();
  });

  test('a repeated name keeps its first value', () => {
    const params = twilioParams(post(parse('To=%2B1&To=%2B2&Body=hi')));
    expect({ ...params }).toEqual({ To: '+1', Body: 'hi' });
  });

  test('a JSON body keeps its own string fields only, in an object without a prototype', () => {
    const body = Object.assign(Object.create({ inherited: 'no' }) as object, { CallSid: 'CA1', Duration: 5, Flags: ['a'] });
    const params = twilioParams(post(body));
    expect({ ...params }).toEqual({ CallSid: 'CA1', Flags: 'a' });
    expect(Object.getPrototypeOf(params)).toBeNull();
  });

  test('a GET webhook reads the query string', () => {
    const req = { method: 'GET', body: undefined, query: parse('Digits=1') } as unknown as Request;
    expect({ ...twilioParams(req) }).toEqual({ Digits: '1' });
  });
});
