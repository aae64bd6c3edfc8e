import request from 'supertest';
import { buildTestApp, FIXED_NOW, type TestApp } from '../support/app';

const API_KEY = 'dashboard-key-0123456789abcdef';
const ORIGIN = 'http://127.0.0.1';

let t: TestApp;
afterEach(() => t?.close());

/** Signs in with the form as a browser would and returns the session cookie (name=value). */
async function signIn(app: TestApp['app'], key = API_KEY): Promise<string> {
  const res = await request(app).post('/dashboard/login').set('Host', '127.0.0.1').set('Origin', ORIGIN).type('form').send({ key });
  expect(res.status).toBe(303);
  return (res.headers['set-cookie'] as unknown as string[])[0]?.split(';')[0] as string;
}

describe('dashboard sign-in', () => {
  test('without API_KEY the dashboard answers 503 and says why', async () => {
    t = buildTestApp();
    const res = await request(t.app).get('/dashboard');
    expect(res.status).toBe(503);
    expect(res.type).toBe('text/html');
    expect(res.text).toContain('The dashboard is disabled: set API_KEY on the server to use it.');
    expect((await request(t.app).post('/dashboard/login').type('form').send({ key: 'x' })).status).toBe(503);
  });

  test('a browser without a session is sent to the login form, keeping the page it asked for', async () => {
    t = buildTestApp({ API_KEY });
    const res = await request(t.app).get('/dashboard/messages?status=failed');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/dashboard/login?next=%2Fdashboard%2Fmessages%3Fstatus%3Dfailed');
    const login = await request(t.app).get('/dashboard/login?next=%2Fdashboard%2Fmessages%3Fstatus%3Dfailed');
    expect(login.status).toBe(200);
    expect(login.text).toContain('<label>API key <input name="key" type="password" autocomplete="current-password" required autofocus></label>');
    expect(login.text).toContain('<input type="hidden" name="next" value="/dashboard/messages?status=failed">');
  });

  test('the right key sets an HttpOnly SameSite=Strict cookie for 12 h and redirects to next', async () => {
    t = buildTestApp({ API_KEY });
    const res = await request(t.app)
      .post('/dashboard/login')
      .set('Host', '127.0.0.1')
      .set('Origin', ORIGIN)
      .type('form')
      .send({ key: API_KEY, next: '/dashboard/voicemails' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/dashboard/voicemails');
    const cookie = (res.headers['set-cookie'] as unknown as string[])[0] as string;
    const expires = FIXED_NOW.getTime() + 12 * 3_600_000;
    expect(cookie).toMatch(
      new RegExp(`^switchboard_session=${expires}\\.[A-Za-z0-9_-]{43}; Path=/dashboard; Expires=${new Date(expires).toUTCString()}; HttpOnly; SameSite=Strict$`),
    );
    expect(cookie).not.toContain(API_KEY);
    const page = await request(t.app).get('/dashboard').set('Cookie', cookie.split(';')[0] as string);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h1>Calls</h1>');
    expect(page.text).toContain('<form method="post" action="/dashboard/logout">');
  });

  test('the cookie is Secure when PUBLIC_BASE_URL is https, or the request came over https through a trusted proxy', async () => {
    t = buildTestApp({ API_KEY, PUBLIC_BASE_URL: 'https://sb.example.com' });
    const res = await request(t.app).post('/dashboard/login').set('Origin', 'https://sb.example.com').type('form').send({ key: API_KEY });
    expect((res.headers['set-cookie'] as unknown as string[])[0]).toContain('; Secure;');
  });

  test('a wrong key: 401 with the form again, no cookie, and the key is not echoed', async () => {
    t = buildTestApp({ API_KEY });
    const res = await request(t.app).post('/dashboard/login').set('Host', '127.0.0.1').set('Origin', ORIGIN).type('form').send({ key: 'guess-1234' });
    expect(res.status).toBe(401);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.text).toContain('<p class="error" role="alert">The API key was not accepted.</p>');
    expect(res.text).not.toContain('guess-1234');
    expect(t.logText()).not.toContain('guess-1234');
  });

  test('a login POST from another site, or with neither Origin nor Referer, is refused (CSRF)', async () => {
    t = buildTestApp({ API_KEY });
    const evil = await request(t.app).post('/dashboard/login').set('Host', '127.0.0.1').set('Origin', 'https://evil.example').type('form').send({ key: API_KEY });
    expect(evil.status).toBe(403);
    expect(evil.headers['set-cookie']).toBeUndefined();
    const bare = await request(t.app).post('/dashboard/login').set('Host', '127.0.0.1').type('form').send({ key: API_KEY });
    expect(bare.status).toBe(403);
    const referer = await request(t.app)
      .post('/dashboard/login')
      .set('Host', '127.0.0.1:3000')
      .set('Referer', 'http://127.0.0.1:3000/dashboard/login')
      .type('form')
      .send({ key: API_KEY });
    expect(referer.status).toBe(303);
  });

  test('next may only point into the dashboard', async () => {
    t = buildTestApp({ API_KEY });
    for (const next of ['https://evil.example/', '//evil.example/dashboard', '/dashboard//evil', '/phone']) {
      const res = await request(t.app).post('/dashboard/login').set('Host', '127.0.0.1').set('Origin', ORIGIN).type('form').send({ key: API_KEY, next });
      expect(res.headers.location).toBe('/dashboard');
    }
  });

  test('a forged, altered or expired cookie is not a session', async () => {
    t = buildTestApp({ API_KEY });
    const cookie = await signIn(t.app);
    const [name, value] = cookie.split('=') as [string, string];
    const [expires, mac] = value.split('.') as [string, string];
    const later = `${name}=${Number(expires) + 3_600_000}.${mac}`;
    expect((await request(t.app).get('/dashboard').set('Cookie', later)).status).toBe(303);
    expect((await request(t.app).get('/dashboard').set('Cookie', `${name}=${expires}.${'A'.repeat(43)}`)).status).toBe(303);
    t.clock.set(new Date(FIXED_NOW.getTime() + 12 * 3_600_000 - 1000));
    expect((await request(t.app).get('/dashboard').set('Cookie', cookie)).status).toBe(200);
    t.clock.set(new Date(FIXED_NOW.getTime() + 12 * 3_600_000));
    expect((await request(t.app).get('/dashboard').set('Cookie', cookie)).status).toBe(303);
  });

  test('a cookie signed under another API_KEY is refused', async () => {
    const other = buildTestApp({ API_KEY: 'another-key-abcdefabcdef0123' });
    const cookie = await signIn(other.app, 'another-key-abcdefabcdef0123');
    await other.close();
    t = buildTestApp({ API_KEY });
    expect((await request(t.app).get('/dashboard').set('Cookie', cookie)).status).toBe(303);
  });

  test('HTTP Basic with any user and the key as password works for curl; a wrong one is a 401 Basic challenge', async () => {
    t = buildTestApp({ API_KEY });
    const ok = await request(t.app).get('/dashboard/opt-outs').auth('anyone', API_KEY);
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('<h1>Opt-outs</h1>');
    expect(ok.text).not.toContain('Sign out');
    const bad = await request(t.app).get('/dashboard/opt-outs').auth('anyone', 'nope');
    expect(bad.status).toBe(401);
    expect(bad.headers['www-authenticate']).toBe('Basic realm="Switchboard dashboard", charset="UTF-8"');
  });

  test('the Bearer header of the API is not a dashboard login', async () => {
    t = buildTestApp({ API_KEY });
    expect((await request(t.app).get('/dashboard').set('Authorization', `Bearer ${API_KEY}`)).status).toBe(303);
  });

  test('sign out clears the cookie (same-origin POST only)', async () => {
    t = buildTestApp({ API_KEY });
    const cookie = await signIn(t.app);
    const cross = await request(t.app).post('/dashboard/logout').set('Host', '127.0.0.1').set('Origin', 'https://evil.example').set('Cookie', cookie);
    expect(cross.status).toBe(403);
    const res = await request(t.app).post('/dashboard/logout').set('Host', '127.0.0.1').set('Origin', ORIGIN).set('Cookie', cookie);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/dashboard/login');
    expect((res.headers['set-cookie'] as unknown as string[])[0]).toBe(
      'switchboard_session=; Path=/dashboard; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Strict',
    );
  });

  test('every page sends a CSP without scripts, and the stylesheet needs no login', async () => {
    t = buildTestApp({ API_KEY });
    const css = await request(t.app).get('/dashboard/style.css');
    expect(css.status).toBe(200);
    expect(css.type).toBe('text/css');
    expect(css.headers['content-security-policy']).toBe(
      "default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self' data:; media-src https:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    );
    const login = await request(t.app).get('/dashboard/login');
    expect(login.headers['content-security-policy']).toContain("script-src 'none'");
    expect(login.headers['referrer-policy']).toBe('same-origin');
    expect(login.text).not.toContain(API_KEY);
  });
});
