import express from 'express';

/**
 * A STUB of the server's `/api` contract (POST /api/calls, POST /api/messages with a bearer
 * key), standing in until the real routes are merged: it checks the key, answers 201 with the
 * resource or 400 `{ error: { message, field } }`, and keeps every request for the test to read.
 */
export interface ApiStubRequest {
  path: string;
  authorization: string | undefined;
  contentType: string | undefined;
  body: unknown;
}

export function apiContractStub(apiKey: string): { app: express.Express; requests: ApiStubRequest[] } {
  const requests: ApiStubRequest[] = [];
  const app = express();
  app.use(express.json());
  app.use((req, _res, next) => {
    requests.push({ path: req.path, authorization: req.get('Authorization'), contentType: req.get('Content-Type'), body: req.body as unknown });
    next();
  });
  app.use('/api', (req, res, next) => {
    if (req.get('Authorization') !== `Bearer ${apiKey}`) return void res.status(401).json({ error: { message: 'invalid API key' } });
    next();
  });
  const e164 = (value: unknown) => typeof value === 'string' && /^\+[1-9]\d{1,14}$/.test(value);
  app.post('/api/calls', (req, res) => {
    const body = req.body as Record<string, unknown>;
    if (!e164(body.to)) return void res.status(400).json({ error: { message: 'must be an E.164 number such as +15551234567', field: 'to' } });
    res.status(201).json({ sid: 'CA' + '9'.repeat(32), status: 'queued', to: body.to, from: body.from ?? '+15005550001', direction: 'outbound-api' });
  });
  app.post('/api/messages', (req, res) => {
    const body = req.body as Record<string, unknown>;
    if (!e164(body.to)) return void res.status(400).json({ error: { message: 'to must be an E.164 number', field: 'to' } });
    res.status(201).json({ sid: 'SM' + '9'.repeat(32), status: 'queued', to: body.to, from: null, body: body.body ?? null });
  });
  return { app, requests };
}
