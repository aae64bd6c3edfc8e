import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import request from 'supertest';
import { dispatchWebhooksDirectly } from '../../src/http/webhook-dispatch';
import { computeTwilioSignature } from '../../src/security';
import { buildTestApp, type TestApp } from '../support/app';

const TOKEN = '0123456789abcdef0123456789abcdef';
const BASE = 'https://sb.example.com';

/** Headers that differ between any two responses by nature. */
function stableHeaders(headers: Record<string, string>): Record<string, string> {
  const { date: _date, 'x-request-id': _id, ...rest } = headers;
  return rest;
}

describe('webhooks dispatched without the router', () => {
  let t: TestApp;
  beforeEach(() => {
    t = buildTestApp({ TWILIO_AUTH_TOKEN: TOKEN, PUBLIC_BASE_URL: BASE });
  });
  afterEach(() => t.close());

  const signedPost = (path: string, form: Record<string, string>) =>
    request(t.app)
      .post(path)
      .type('form')
      .set('X-Twilio-Signature', computeTwilioSignature(TOKEN, BASE + path, Object.entries(form)))
      .send(form);

  test("an exact webhook path is answered without walking Express's router, with what the router's way answers", async () => {
    const router = (t.app as unknown as { router: { handle: RequestHandler } }).router;
    const walked = jest.spyOn(router, 'handle');
    const direct = await signedPost('/voice', { CallSid: 'CA1', From: '+15550001111', To: '+15550002222' });
    expect(walked).not.toHaveBeenCalled();
    // Express matches paths without regard to case: this one goes the router's way to the same route.
    const routed = await signedPost('/VOICE', { CallSid: 'CA2', From: '+15550001111', To: '+15550002222' });
    expect(walked).toHaveBeenCalledTimes(1);

    expect(direct.status).toBe(200);
    expect(routed.status).toBe(200);
    expect(direct.text).toBe(routed.text);
    expect(stableHeaders(direct.headers)).toEqual(stableHeaders(routed.headers));
    expect(direct.headers['x-content-type-options']).toBe('nosniff');
    expect(direct.headers['strict-transport-security']).toBe('max-age=31536000');
    expect(direct.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect((await t.store.getCall('CA1'))?.from).toBe('+15550001111');
    expect((await t.store.getCall('CA2'))?.from).toBe('+15550001111');
    const completed = t.logs.filter((line) => line.msg === 'request completed');
    expect(completed.map((line) => (line.req as { path: string }).path)).toEqual(['/voice', '/VOICE']);
    expect(completed[0]?.req).toEqual({ id: direct.headers['x-request-id'], method: 'POST', path: '/voice' });
  });

  test('a bad signature on the direct path is refused as before, with the security headers', async () => {
    const res = await request(t.app).post('/sms').type('form').set('X-Twilio-Signature', 'bogus').send({ MessageSid: 'SM1' });
    expect(res.status).toBe(403);
    expect(res.text).toBe('invalid X-Twilio-Signature');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(t.logs.some((line) => line.msg === 'twilio signature rejected')).toBe(true);
  });

  test("a body error on the direct path reaches the app's JSON error handler", async () => {
    const res = await request(t.app)
      .post('/status/call')
      .set('Content-Type', 'application/x-www-form-urlencoded; charset=latin1')
      .set('X-Twilio-Signature', 'x')
      .send('CallSid=CA1');
    expect(res.status).toBe(415);
    expect(res.body).toEqual({ error: { message: 'request body encoding is not supported; send UTF-8' } });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  test('a webhook path with a query string is still dispatched directly; its query still reads', async () => {
    const router = (t.app as unknown as { router: { handle: RequestHandler } }).router;
    const walked = jest.spyOn(router, 'handle');
    const path = '/voice?from=test';
    const res = await request(t.app)
      .post(path)
      .type('form')
      .set('X-Twilio-Signature', computeTwilioSignature(TOKEN, BASE + path, [['CallSid', 'CA3']]))
      .send({ CallSid: 'CA3' });
    expect(res.status).toBe(200);
    expect(walked).not.toHaveBeenCalled();
    expect(await t.store.getCall('CA3')).toBeDefined();
  });
});

describe('dispatchWebhooksDirectly', () => {
  const notFound: RequestHandler = (req, res) => {
    res.status(404).send(`no route for ${req.path}`);
  };
  const onError: ErrorRequestHandler = (err: Error, _req, res, _next) => {
    res.status(500).send(`error: ${err.message}`);
  };
  const front: RequestHandler = (_req, res, next) => {
    res.setHeader('X-Front', 'yes');
    next();
  };

  function appWith(routes: Array<{ path: string; handler: RequestHandler }>) {
    const app = express();
    app.use(front);
    for (const { path, handler } of routes) app.all(path, handler);
    app.use(notFound);
    app.use(onError);
    dispatchWebhooksDirectly(app, { routes, front, notFound, onError });
    return app;
  }

  test('a handler that throws, or passes an error on, reaches the error handler; next() reaches the 404', async () => {
    const app = appWith([
      {
        path: '/throws',
        handler: () => {
          throw new Error('thrown');
        },
      },
      { path: '/passes', handler: (_req, _res, next) => next(new Error('passed')) },
      { path: '/next', handler: (_req, _res, next) => next() },
    ]);
    expect((await request(app).post('/throws')).text).toBe('error: thrown');
    expect((await request(app).post('/passes')).text).toBe('error: passed');
    const next = await request(app).post('/next');
    expect(next.status).toBe(404);
    expect(next.text).toBe('no route for /next');
    expect(next.headers['x-front']).toBe('yes');
  });

  test('handlers see what Express would give them: its request and response, originalUrl, params, query', async () => {
    const app = appWith([
      {
        path: '/hook',
        handler: (req, res) => {
          res.status(201).json({ originalUrl: req.originalUrl, baseUrl: req.baseUrl, params: req.params, query: req.query, path: req.path, app: req.app === app });
        },
      },
    ]);
    const res = await request(app).post('/hook?a=1');
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ originalUrl: '/hook?a=1', baseUrl: '', params: {}, query: { a: '1' }, path: '/hook', app: true });
  });

  test('an exact path that an earlier route with a parameter matches is left to Express, which picks the earlier route', async () => {
    const app = appWith([
      { path: '/calls/:sid', handler: (req, res) => void res.send(`param ${String(req.params.sid)}`) },
      { path: '/calls/latest', handler: (_req, res) => void res.send('exact') },
    ]);
    expect((await request(app).post('/calls/latest')).text).toBe('param latest');
  });

  test('mounted in another app, it leaves dispatch to Express, so the outer app still gets what falls through', async () => {
    const inner = appWith([{ path: '/hook', handler: (_req, _res, next) => next() }]);
    const outer = express();
    outer.use('/in', inner);
    const res = await request(outer).post('/in/hook');
    // The inner app's own 404 answers, as it would without direct dispatch.
    expect(res.status).toBe(404);
    expect(res.text).toBe('no route for /hook');
  });
});
