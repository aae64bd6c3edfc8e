// One benchmark target per process, so that the load generator has its own core.
// Run as `node dist/bench/webhook-servers.js <target>`; reports its port over IPC.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import express from 'express';
import twilio from 'twilio';
import { createApp } from '../src/app';
import { systemClock } from '../src/clock';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { parseSettings } from '../src/settings';
import { openSqliteStore } from '../src/store';
import { BENCH_BASE_URL, BENCH_TOKEN, FIXED_TWIML } from './webhook-fixtures';

const target = process.argv[2];

function bare(): express.Express {
  const app = express();
  app.post('/voice', (_req, res) => {
    res.type('text/xml').send(FIXED_TWIML);
  });
  return app;
}

/** The route as most Twilio tutorials build it: the official helper's middleware and builder. */
function helperStack(): express.Express {
  const app = express();
  app.use(express.urlencoded({ extended: false }));
  app.post('/voice', twilio.webhook(BENCH_TOKEN, { url: `${BENCH_BASE_URL}/voice` }), (_req, res) => {
    const twiml = new twilio.twiml.VoiceResponse();
    twiml.say({ voice: 'Polly.Joanna' }, 'Thanks for calling Acme.');
    const gather = twiml.gather({ action: `${BENCH_BASE_URL}/voice/node/main/gather?attempt=0`, method: 'POST', input: ['dtmf'], numDigits: 1, timeout: 5 });
    gather.say({ voice: 'Polly.Joanna' }, 'For sales, press 1. For support, press 2.');
    twiml.redirect({ method: 'POST' }, `${BENCH_BASE_URL}/voice/node/main/gather?attempt=0`);
    res.type('text/xml').send(twiml.toString());
  });
  return app;
}

function switchboard(): express.Express {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-bench-'));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  const config = loadConfig({
    NODE_ENV: 'production',
    TWILIO_AUTH_TOKEN: BENCH_TOKEN,
    PUBLIC_BASE_URL: BENCH_BASE_URL,
    DATABASE_PATH: path.join(dir, 'bench.db'),
  });
  const settings = parseSettings(
    {
      voice: {
        start: 'main',
        nodes: {
          main: {
            type: 'menu',
            greeting: { say: 'Thanks for calling Acme.', voice: 'Polly.Joanna' },
            prompt: { say: 'For sales, press 1. For support, press 2.', voice: 'Polly.Joanna' },
            options: { '1': { type: 'forward', to: '+15005550006' }, '2': { type: 'hangup' } },
          },
        },
      },
      sms: { autoReply: 'Thanks! We will reply soon.' },
    },
    'bench',
  );
  // As users run it: one JSON log line per request (written to a pipe the parent discards).
  const logger = createLogger('info');
  const store = openSqliteStore(config.databasePath, systemClock);
  return createApp({ config, store, twilio: undefined, clock: systemClock, logger, settings });
}

const builders: Record<string, () => express.Express> = { bare, helper: helperStack, switchboard };
const build = target === undefined ? undefined : builders[target];
if (build === undefined) {
  process.stderr.write(`usage: webhook-servers <${Object.keys(builders).join('|')}>\n`);
  process.exit(2);
}
const server = build().listen(0, '127.0.0.1', () => {
  process.send?.({ port: (server.address() as AddressInfo).port });
});
process.on('message', (message) => {
  if (message === 'rss') process.send?.({ rss: process.memoryUsage().rss });
  if (message === 'stop') server.close(() => process.exit(0));
});
