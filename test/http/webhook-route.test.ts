import express, { type ErrorRequestHandler } from 'express';
import request from 'supertest';
import { webhookRoute } from '../../src/http/webhook-route';
import { buildTestApp, type TestApp } from '../support/app';

describe('webhookRoute', () => {
  test('gives what the handler throws to its error handler, with the request and response', async () => {
    const seen: unknown[] = [];
    const onError: ErrorRequestHandler = (err, req, res, _next) => {
      seen.push(err);
      res.status(299).send(`handled ${req.path}`);
    };
    const boom = new Error('boom');
    const route = webhookRoute(
      '/hook',
      async () => {
        throw boom;
      },
      onError,
    );
    const app = express();
    app.all(route.path, route.handler);
    const res = await request(app).post('/hook');
    expect(res.status).toBe(299);
    expect(res.text).toBe('handled /hook');
    expect(seen).toEqual([boom]);
  });

  test('leaves the error handler alone when the handler answers', async () => {
    let errors = 0;
    const route = webhookRoute(
      '/hook',
      async (_req, res) => {
        res.status(204).end();
      },
      () => errors++,
    );
    const app = express();
    app.all(route.path, route.handler);
    expect((await request(app).post('/hook')).status).toBe(204);
    expect(errors).toBe(0);
  });
});

describe('the webhook routes registered on the app', () => {
  let t: TestApp;
  beforeEach(() => {
    t = buildTestApp();
  });
  afterEach(() => t.close());

  test('answer with or without a trailing slash, as a mounted router did', async () => {
    const plain = await request(t.app).post('/voice').type('form').send({ CallSid: 'CA1' });
    const slashed = await request(t.app).post('/voice/').type('form').send({ CallSid: 'CA2' });
    expect(plain.status).toBe(200);
    expect(slashed.status).toBe(200);
    expect(slashed.text).toBe(plain.text);
  });

  test.each(['/voice/nope', '/voice/node', '/sms/extra', '/status', '/status/nope'])('%s is not a route: 404 in JSON', async (path) => {
    const res = await request(t.app).post(path).type('form').send({ CallSid: 'CA1' });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { message: `no route for POST ${path}` } });
  });
});
