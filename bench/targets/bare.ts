// The ceiling: Express 5 answering a fixed TwiML string, no parsing, no checks. `say`: the one
// <Say> of Switchboard's default greeting; `menu` (the default): the configured menu's document.
import express from 'express';
import { DEFAULT_GREETING_TWIML, FIXED_TWIML } from '../webhook-fixtures';
import { serve } from './serve';

const document = process.argv[2] === 'say' ? DEFAULT_GREETING_TWIML : FIXED_TWIML;
const app = express();
app.post('/voice', (_req, res) => {
  res.type('text/xml').send(document);
});
serve(app);
