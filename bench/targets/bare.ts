// The ceiling: Express 5 answering a fixed TwiML string, no parsing, no checks. `say`: the one
// <Say> of Switchboard's default greeting; `menu` (the default): the configured menu's document.
// With `born`, served by Switchboard's appServer instead of app.listen (informative: what the same
// app costs without Express's per-request Object.setPrototypeOf).
import express from 'express';
import { appServer } from '../../src/http/app-server';
import { DEFAULT_GREETING_TWIML, FIXED_TWIML } from '../webhook-fixtures';
import { serve } from './serve';

const document = process.argv[2] === 'say' ? DEFAULT_GREETING_TWIML : FIXED_TWIML;
const app = express();
app.post('/voice', (_req, res) => {
  res.type('text/xml').send(document);
});
serve(app, process.argv[3] === 'born' ? appServer(app) : undefined);
