import { dialPolicy } from '../../src/client/dial-policy';
import { defaultDialPattern } from '../../src/config';

const US = dialPolicy({ pattern: defaultDialPattern('+15005550006'), callerId: '+15005550006' });

describe('dialPolicy', () => {
  test.each([
    ['+12125550100', { kind: 'number', number: '+12125550100' }],
    [' +1 (212) 555-0100 ', { kind: 'number', number: '+12125550100' }],
    ['+1.212.555.0100', { kind: 'number', number: '+12125550100' }],
    ['client:bob', { kind: 'client', identity: 'bob' }],
    ['client:front.desk@acme', { kind: 'client', identity: 'front.desk@acme' }],
    [undefined, { kind: 'refused', reason: 'missing' }],
    ['   ', { kind: 'refused', reason: 'missing' }],
    ['client:', { kind: 'refused', reason: 'malformed' }],
    ['client:bob smith', { kind: 'refused', reason: 'malformed' }],
    ['sip:bob@example.com', { kind: 'refused', reason: 'malformed' }],
    ['12125550100', { kind: 'refused', reason: 'malformed' }],
    ['911', { kind: 'refused', reason: 'malformed' }],
    ['+1212555010a', { kind: 'refused', reason: 'malformed' }],
    // Other countries, and NANP numbers with impossible area codes or exchanges.
    ['+442071234567', { kind: 'refused', reason: 'not-allowed' }],
    ['+882123456789', { kind: 'refused', reason: 'not-allowed' }],
    ['+11125550100', { kind: 'refused', reason: 'not-allowed' }],
    ['+12120550100', { kind: 'refused', reason: 'not-allowed' }],
    ['+1212555010', { kind: 'refused', reason: 'not-allowed' }],
    ['+121255501000', { kind: 'refused', reason: 'not-allowed' }],
  ])('%j → %j', (to, expected) => {
    expect(US(to)).toEqual(expected);
  });

  test('an explicit pattern replaces the default', () => {
    const decide = dialPolicy({ pattern: '^\\+44(20|7)\\d{8,9}$', callerId: '+442071234567' });
    expect(decide('+447700900123')).toEqual({ kind: 'number', number: '+447700900123' });
    expect(decide('+449098790000')).toEqual({ kind: 'refused', reason: 'not-allowed' });
  });

  test('without a pattern no number can be dialled, but browsers still can', () => {
    const decide = dialPolicy({ pattern: undefined, callerId: undefined });
    expect(decide('+12125550100')).toEqual({ kind: 'refused', reason: 'not-allowed' });
    expect(decide('client:bob')).toEqual({ kind: 'client', identity: 'bob' });
  });

  test('a number needs a caller ID', () => {
    const decide = dialPolicy({ pattern: '^\\+1\\d{10}$', callerId: undefined });
    expect(decide('+12125550100')).toEqual({ kind: 'refused', reason: 'no-caller-id' });
  });
});
