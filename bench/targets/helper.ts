// The common way: the official helper's webhook() middleware and VoiceResponse per request.
// `say`: one <Say>, as Switchboard's default greeting; `menu` (the default): the menu's document.
import express from 'express';
import twilio from 'twilio';
import { BENCH_BASE_URL, BENCH_TOKEN } from '../webhook-fixtures';
import { serve } from './serve';

const say = process.argv[2] === 'say';
const app = express();
app.use(express.urlencoded({ extended: false }));
app.post('/voice', twilio.webhook(BENCH_TOKEN, { url: `${BENCH_BASE_URL}/voice` }), (_req, res) => {
  const twiml = new twilio.twiml.VoiceResponse();
  if (say) {
    twiml.say('Hello! This is Switchboard. Your server is up and answering calls. Goodbye.');
  } else {
    twiml.say({ voice: 'Polly.Joanna' }, 'Thanks for calling Acme.');
    const action = `${BENCH_BASE_URL}/voice/node/main/gather?attempt=0`;
    twiml.gather({ action, method: 'POST', input: ['dtmf'], numDigits: 1, timeout: 5 }).say({ voice: 'Polly.Joanna' }, 'For sales, press 1. For support, press 2.');
    twiml.redirect({ method: 'POST' }, action);
  }
  res.type('text/xml').send(twiml.toString());
});
serve(app);
