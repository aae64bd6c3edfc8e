// The ceiling: Express 5 answering a fixed TwiML string, no parsing, no checks.
import express from 'express';
import { FIXED_TWIML } from '../webhook-fixtures';
import { serve } from './serve';

const app = express();
app.post('/voice', (_req, res) => {
  res.type('text/xml').send(FIXED_TWIML);
});
serve(app);
