import fc from 'fast-check';
import { computeTwilioSignature, signaturePayload, validateTwilioSignature } from '../../src/security';
import type { SignatureParams } from '../../src/security';
import { hmacBase64 } from '../support/twilio-sign';

const TOKEN = '12345';

describe('computeTwilioSignature', () => {
  it('reproduces the canonical vector from Twilio\'s docs', () => {
    const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
    const params = {
      CallSid: 'CA1234567890ABCDE',
      Caller: '+14158675309',
      Digits: '1234',
      From: '+14158675309',
      To: '+18005551212',
    };
    expect(signaturePayload(url, params)).toBe(
      'https://mycompany.com/myapp.php?foo=1&bar=2CallSidCA1234567890ABCDECaller+14158675309Digits1234From+14158675309To+18005551212',
    );
    expect(computeTwilioSignature(TOKEN, url, params)).toBe('RSOYDt4T1cUTdK1PDd93/VVr8B8=');
  });

  // Each row spells out the exact string Twilio signs; the expected signature is
  // an HMAC of that literal, so a wrong sort or join in src/ makes the row fail.
  const cases: Array<{ name: string; url: string; params: SignatureParams; dataToSign: string }> = [
    { name: 'GET: URL only, query kept verbatim', url: 'https://h.com/v?b=2&a=1', params: {}, dataToSign: 'https://h.com/v?b=2&a=1' },
    { name: 'record with array values sorted', url: 'https://h.com/v', params: { a: ['2', '1'] }, dataToSign: 'https://h.com/va1a2' },
    { name: 'duplicate values collapse', url: 'https://h.com/v', params: { a: ['1', '1', '2'] }, dataToSign: 'https://h.com/va1a2' },
    {
      name: 'pairs with repeated keys, any order',
      url: 'https://h.com/v',
      params: [['b', 'x'], ['a', '2'], ['a', '1']],
      dataToSign: 'https://h.com/va1a2bx',
    },
    {
      name: 'case-sensitive name order (uppercase first)',
      url: 'https://h.com/v',
      params: { body: '4', a_lower: '3', Zeta: '2', To: '1' },
      dataToSign: 'https://h.com/vTo1Zeta2a_lower3body4',
    },
    { name: 'empty value', url: 'https://h.com/v', params: { Digits: '' }, dataToSign: 'https://h.com/vDigits' },
    {
      name: 'unicode values are signed as UTF-8',
      url: 'https://h.com/v',
      params: { Body: 'héllo ✓ 😀' },
      dataToSign: 'https://h.com/vBodyhéllo ✓ 😀',
    },
    {
      // U+1F600 is a surrogate pair (D83D…), which sorts before U+FF61 in UTF-16
      // code-unit order although its code point is larger.
      name: 'names sort by UTF-16 code unit',
      url: 'https://h.com/v',
      params: { '\uFF61': 'b', '😀': 'a' },
      dataToSign: 'https://h.com/v😀a\uFF61b',
    },
    {
      name: 'form values are decoded, never re-encoded',
      url: 'https://h.com/v?x=it\'s+ok',
      params: { From: '+15551230000', Body: 'a&b=c' },
      dataToSign: 'https://h.com/v?x=it\'s+okBodya&b=cFrom+15551230000',
    },
  ];

  it.each(cases)('$name', ({ url, params, dataToSign }) => {
    expect(signaturePayload(url, params)).toBe(dataToSign);
    expect(computeTwilioSignature(TOKEN, url, params)).toBe(hmacBase64(TOKEN, dataToSign));
  });

  it('gives the same signature for pairs and for the parsed record', () => {
    const pairs: Array<[string, string]> = [['To', '+1'], ['a', '1'], ['a', '2']];
    expect(computeTwilioSignature(TOKEN, 'https://h.com/v', pairs)).toBe(
      computeTwilioSignature(TOKEN, 'https://h.com/v', { a: ['1', '2'], To: '+1' }),
    );
  });
});

describe('validateTwilioSignature', () => {
  const base = { CallSid: 'CA1', From: '+15551230000', Body: 'hi' };

  const cases: Array<{
    name: string;
    signedUrl: string;
    url?: string;
    signedParams?: SignatureParams;
    params?: SignatureParams;
    signToken?: string;
    signature?: string | undefined;
    valid: boolean;
  }> = [
    { name: 'identical request', signedUrl: 'https://h.com/v?x=1', valid: true },
    { name: 'changed parameter', signedUrl: 'https://h.com/v', params: { ...base, Body: 'hj' }, valid: false },
    { name: 'extra parameter', signedUrl: 'https://h.com/v', params: { ...base, Extra: '' }, valid: false },
    { name: 'missing parameter', signedUrl: 'https://h.com/v', params: { CallSid: 'CA1', From: '+15551230000' }, valid: false },
    { name: 'changed path', signedUrl: 'https://h.com/v', url: 'https://h.com/w', valid: false },
    { name: 'changed query value', signedUrl: 'https://h.com/v?id=1', url: 'https://h.com/v?id=2', valid: false },
    { name: 'reordered query', signedUrl: 'https://h.com/v?a=1&b=2', url: 'https://h.com/v?b=2&a=1', valid: false },
    { name: 'trailing slash added', signedUrl: 'https://h.com/v', url: 'https://h.com/v/', valid: false },
    { name: 'http instead of https', signedUrl: 'https://h.com/v', url: 'http://h.com/v', valid: false },
    { name: 'host case differs', signedUrl: 'https://A.com/v', url: 'https://a.com/v', valid: false },
    { name: 'apostrophe percent-encoded on one side', signedUrl: 'https://h.com/v?x=it%27s', url: 'https://h.com/v?x=it\'s', valid: false },
    { name: 'apostrophe raw on both sides', signedUrl: 'https://h.com/v?x=it\'s+ok', valid: true },
    { name: 'wrong token', signedUrl: 'https://h.com/v', signToken: 'other-token', valid: false },
    { name: 'empty signature', signedUrl: 'https://h.com/v', signature: '', valid: false },
    { name: 'missing signature', signedUrl: 'https://h.com/v', signature: undefined, valid: false },
    { name: 'truncated signature', signedUrl: 'https://h.com/v', signature: 'RSOYDt4T1cUTdK1PDd93', valid: false },
    { name: 'signed with :443, received without', signedUrl: 'https://h.com:443/v', url: 'https://h.com/v', valid: true },
    { name: 'signed without :443, received with', signedUrl: 'https://h.com/v', url: 'https://h.com:443/v', valid: true },
    { name: 'signed with :80, received without', signedUrl: 'http://h.com:80/v', url: 'http://h.com/v', valid: true },
    { name: 'signed without :80, received with', signedUrl: 'http://h.com/v', url: 'http://h.com:80/v', valid: true },
    { name: 'no path, default port added', signedUrl: 'https://h.com:443', url: 'https://h.com', valid: true },
    { name: 'IPv6 host, default port removed', signedUrl: 'https://[::1]/v', url: 'https://[::1]:443/v', valid: true },
    { name: 'non-default port dropped (looser than twilio-node: refused)', signedUrl: 'https://h.com/v', url: 'https://h.com:8443/v', valid: false },
    { name: 'non-default port kept', signedUrl: 'https://h.com:8443/v', valid: true },
    { name: ':80 on https is not a default port', signedUrl: 'https://h.com/v', url: 'https://h.com:80/v', valid: false },
    { name: ':443 on http is not a default port', signedUrl: 'http://h.com/v', url: 'http://h.com:443/v', valid: false },
    { name: 'repeated keys in another order', signedUrl: 'https://h.com/v', signedParams: [['a', '1'], ['a', '2']], params: [['a', '2'], ['a', '1']], valid: true },
    { name: 'repeated key with a value dropped', signedUrl: 'https://h.com/v', signedParams: [['a', '1'], ['a', '2']], params: [['a', '1']], valid: false },
    { name: 'unicode value changed by one character', signedUrl: 'https://h.com/v', signedParams: { Body: 'café' }, params: { Body: 'cafe' }, valid: false },
  ];

  it.each(cases)('$name -> $valid', (row) => {
    const signedParams = row.signedParams ?? base;
    const signature = 'signature' in row ? row.signature : computeTwilioSignature(row.signToken ?? TOKEN, row.signedUrl, signedParams);
    const result = validateTwilioSignature({
      authToken: TOKEN,
      signature,
      url: row.url ?? row.signedUrl,
      params: row.params ?? signedParams,
    });
    expect(result).toBe(row.valid);
  });

  it('rejects everything when the auth token is empty', () => {
    const signature = hmacBase64('', 'https://h.com/v');
    expect(validateTwilioSignature({ authToken: '', signature, url: 'https://h.com/v' })).toBe(false);
  });

  it('treats omitted params as none (GET and bodySHA256 requests)', () => {
    const url = 'https://h.com/v?CallSid=CA1';
    expect(validateTwilioSignature({ authToken: TOKEN, signature: hmacBase64(TOKEN, url), url })).toBe(true);
  });
});

describe('signaturePayload from a parsed form', () => {
  // Webhooks sign the parsed body (a record) without building pairs; pairs are the reference.
  const name = fc.string({ unit: fc.constantFrom('a', 'B', 'b', '_', '1', 'é', '😀', '[', ']'), minLength: 1, maxLength: 4 });
  const value = fc.string({ unit: fc.constantFrom('x', 'Y', '+', ' ', '1', 'é', '😀'), maxLength: 4 });
  const form = fc.dictionary(name, fc.oneof(value, fc.array(value, { minLength: 1, maxLength: 4 })), { maxKeys: 8 });

  it('is the payload of the same parameters given as pairs', () => {
    fc.assert(
      fc.property(form, (record) => {
        const pairs = Object.entries(record).flatMap(([key, v]) => (Array.isArray(v) ? v : [v]).map((item) => [key, item] as const));
        expect(signaturePayload('', record)).toBe(signaturePayload('', pairs));
      }),
      { numRuns: 500 },
    );
  });

  it('signs each distinct value of a repeated name once, in order', () => {
    expect(signaturePayload('u', { b: ['2', '1', '2'], a: 'x' })).toBe('uaxb1b2');
  });
});
