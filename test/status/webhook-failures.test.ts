import express from 'express';
import request from 'supertest';
import { HttpError } from '../../src/http/errors';
import { requestLogger } from '../../src/http/request-log';
import { twimlErrorHandler } from '../../src/http/twiml-response';
import { buildTestApp, captureLogger } from '../support/app';

/** A real Express app whose handler fails, behind the error handler the webhook routers use. */
function failingWebhook(kind: 'voice' | 'messaging', failure: unknown) {
  const { logger, lines } = captureLogger();
  const app = express();
  app.use(requestLogger(logger));
  app.post('/hook', async () => {
    throw failure;
  });
  app.use(twimlErrorHandler(kind));
  return { app, lines };
}

describe('a failing webhook handler still answers TwiML', () => {
  test('voice: an apology and a hangup, 200 text/xml, error logged', async () => {
    const { app, lines } = failingWebhook('voice', new Error('database is on fire'));
    const res = await request(app).post('/hook');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(res.text).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Say>Sorry, something went wrong. Please try again later. Goodbye.</Say><Hangup/></Response>',
    );
    expect(lines.some((line) => line.includes('webhook handler failed; answered with fallback TwiML'))).toBe(true);
    expect(res.text).not.toContain('on fire');
  });

  test('messaging: an empty response, so no reply is sent', async () => {
    const res = await request(failingWebhook('messaging', new Error('boom')).app).post('/hook');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(res.text).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
  });

  test('a client error stays a plain 4xx', async () => {
    const res = await request(failingWebhook('voice', new HttpError(400, 'Digits is malformed')).app).post('/hook');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.text).toBe('Digits is malformed');
  });
});

describe('TwiML content type', () => {
  test.each(['/voice', '/sms'])('%s answers text/xml; charset=utf-8, for POST and GET', async (path) => {
    const t = buildTestApp();
    try {
      for (const res of [await request(t.app).post(path), await request(t.app).get(path)]) {
        expect(res.status).toBe(200);
        expect(res.headers['content-type']).toBe('text/xml; charset=utf-8');
      }
    } finally {
      await t.close();
    }
  });
});
