import { createHash } from 'node:crypto';
import {
  bodySha256FromUrl,
  computeBodySha256,
  computeTwilioSignature,
  validateBodySha256,
  validateTwilioBodySignature,
} from '../../src/security';
import { hmacBase64 } from '../support/twilio-sign';

const TOKEN = '12345';
const BODY = '{"property": "value", "boolean": true}';
const BODY_HASH = '0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620';
const URL_WITH_HASH = `https://mycompany.com/myapp.php?foo=1&bar=2&bodySHA256=${BODY_HASH}`;

describe('computeBodySha256', () => {
  it('reproduces twilio-node\'s body vector', () => {
    expect(computeBodySha256(BODY)).toBe(BODY_HASH);
    expect(computeBodySha256(Buffer.from(BODY))).toBe(BODY_HASH);
  });

  it('hashes unicode bodies as UTF-8', () => {
    const body = '{"Body":"héllo ✓"}';
    expect(computeBodySha256(body)).toBe(createHash('sha256').update(Buffer.from(body, 'utf8')).digest('hex'));
  });

  it('reproduces twilio-node\'s signature over the bodySHA256 URL', () => {
    expect(computeTwilioSignature(TOKEN, URL_WITH_HASH, {})).toBe('a9nBmqA0ju/hNViExpshrM61xv4=');
  });
});

describe('validateBodySha256', () => {
  it.each<[string, string | Buffer, string | undefined, boolean]>([
    ['matching hash', BODY, BODY_HASH, true],
    ['matching hash, Buffer body', Buffer.from(BODY), BODY_HASH, true],
    ['uppercase hex (Twilio sends lowercase)', BODY, BODY_HASH.toUpperCase(), false],
    ['body changed by one space', '{"property":"value", "boolean": true}', BODY_HASH, false],
    ['no hash', BODY, undefined, false],
    ['empty hash', BODY, '', false],
    ['truncated hash', BODY, BODY_HASH.slice(0, 40), false],
  ])('%s', (_name, body, hash, expected) => {
    expect(validateBodySha256(body, hash)).toBe(expected);
  });
});

describe('bodySha256FromUrl', () => {
  it.each<[string, string | undefined]>([
    [URL_WITH_HASH, BODY_HASH],
    [`/hook?bodySHA256=${BODY_HASH}`, BODY_HASH],
    [`/hook?bodySHA256=${BODY_HASH}#rc=2`, BODY_HASH],
    ['/hook?bodysha256=abc', undefined],
    ['/hook?x=1', undefined],
    ['/hook', undefined],
    ['/hook#bodySHA256=abc', undefined],
  ])('%s', (url, expected) => {
    expect(bodySha256FromUrl(url)).toBe(expected);
  });
});

describe('validateTwilioBodySignature', () => {
  const signature = hmacBase64(TOKEN, URL_WITH_HASH);

  it.each<[string, Partial<Parameters<typeof validateTwilioBodySignature>[0]>, boolean]>([
    ['valid', {}, true],
    ['valid, :443 added by the proxy', { url: URL_WITH_HASH.replace('.com/', '.com:443/') }, true],
    ['modified body', { rawBody: BODY.replace('value', 'other') }, false],
    ['wrong token', { authToken: '54321' }, false],
    ['hash changed in the URL', { url: URL_WITH_HASH.replace(BODY_HASH, computeBodySha256('{}')), rawBody: '{}' }, false],
    ['URL without bodySHA256', { url: 'https://mycompany.com/myapp.php?foo=1&bar=2' }, false],
    ['missing signature', { signature: undefined }, false],
  ])('%s', (_name, override, expected) => {
    const check = { authToken: TOKEN, signature, url: URL_WITH_HASH, rawBody: BODY, ...override };
    expect(validateTwilioBodySignature(check)).toBe(expected);
  });
});
