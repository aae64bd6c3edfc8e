import { html, httpUrl, SafeHtml } from '../../src/dashboard/html';
import { readCookie, basicPassword, SessionSigner } from '../../src/dashboard/session';

describe('the html tag', () => {
  test('escapes every interpolated value, in text and in attributes', () => {
    const value = `<img src=x onerror="alert('1')">&`;
    expect(html`<p title="${value}">${value}</p>`.value).toBe(
      '<p title="&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;">&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;</p>',
    );
  });

  test('nests fragments unescaped, joins arrays, and renders null, undefined and false as nothing', () => {
    const items = ['a<', 'b'].map((x) => html`<li>${x}</li>`);
    expect(html`<ul>${items}</ul>${null}${undefined}${false}${0}`.value).toBe('<ul><li>a&lt;</li><li>b</li></ul>0');
    expect(html`${new SafeHtml('<br>')}`.value).toBe('<br>');
  });

  test('httpUrl keeps http(s) links only', () => {
    expect(httpUrl('https://api.twilio.com/x')).toBe('https://api.twilio.com/x');
    expect(httpUrl('javascript:alert(1)')).toBeUndefined();
    expect(httpUrl('data:text/html,hi')).toBeUndefined();
    expect(httpUrl('not a url')).toBeUndefined();
    expect(httpUrl(null)).toBeUndefined();
  });
});

describe('session tokens', () => {
  const signer = new SessionSigner('the-api-key-0123456789');
  const now = new Date('2026-01-02T03:04:05Z');

  test('a token is valid until 12 h after it was issued, and only for the key that signed it', () => {
    const token = signer.issue(now);
    expect(token).toMatch(/^1767366245000\.[A-Za-z0-9_-]{43}$/);
    expect(signer.verify(token, new Date(now.getTime() + 12 * 3_600_000 - 1))).toBe(true);
    expect(signer.verify(token, new Date(now.getTime() + 12 * 3_600_000))).toBe(false);
    expect(new SessionSigner('another-key-0123456789').verify(token, now)).toBe(false);
    expect(signer.verify(undefined, now)).toBe(false);
    expect(signer.verify(`${token}x`, now)).toBe(false);
  });

  test('the key check accepts only the exact key', () => {
    expect(signer.isApiKey('the-api-key-0123456789')).toBe(true);
    expect(signer.isApiKey('the-api-key-012345678')).toBe(false);
    expect(signer.isApiKey('')).toBe(false);
  });

  test('cookie and Basic parsing', () => {
    expect(readCookie('a=1; switchboard_session=abc.def; b=2', 'switchboard_session')).toBe('abc.def');
    expect(readCookie('xswitchboard_session=1', 'switchboard_session')).toBeUndefined();
    expect(basicPassword(`Basic ${Buffer.from('me:pa:ss').toString('base64')}`)).toBe('pa:ss');
    expect(basicPassword('Bearer abc')).toBeUndefined();
  });
});
