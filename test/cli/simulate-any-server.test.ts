import express, { type Request } from 'express';
import { listen, runCli, type Listening } from '../support/cli';
import { twilioSign } from '../support/twilio-sign';

/**
 * A third-party TwiML app (not ours): the simulator must follow any server's documents, with
 * relative URLs, GET actions, verbs our flows never use, and check-able signatures.
 */
const TOKEN = 'f00df00df00df00df00df00df00df00d';
const X = '<?xml version="1.0" encoding="UTF-8"?>';

interface Seen {
  method: string;
  path: string;
  body: Record<string, string>;
  signatureOk: boolean;
}

let server: Listening;
let seen: Seen[];
beforeEach(async () => {
  seen = [];
  const app = express();
  app.use(express.urlencoded({ extended: false }));
  app.use((req, _res, next) => {
    seen.push({ method: req.method, path: req.originalUrl, body: { ...(req.body as Record<string, string>) }, signatureOk: signed(req) });
    next();
  });
  const twiml = (xml: string) => (_req: Request, res: express.Response) => void res.type('text/xml').send(X + xml);
  app.post(
    '/ivr/start',
    twiml(
      '<Response><Say loop="2">Welcome <emphasis>to</emphasis> the&#10;test line.</Say><Play>https://example.com/hello.mp3</Play>' +
        '<Pause length="2"/><Play digits="ww1"/>' +
        '<Gather action="next" method="GET" numDigits="1"><Play>/prompt.mp3</Play></Gather>' +
        '<Say>We did not get that. Goodbye.</Say><Hangup/></Response>',
    ),
  );
  app.get('/ivr/next', twiml('<Response><Dial>+15550001111</Dial><Say>Back from the dial.</Say><Record playBeep="false" finishOnKey=""/></Response>'));
  app.post('/ivr/next', twiml('<Response><Reject reason="busy"/></Response>'));
  app.post(
    '/empty-ok',
    twiml('<Response><Connect><Stream url="wss://example.com/s"/></Connect><Gather actionOnEmptyResult="true" action="/after"/></Response>'),
  );
  app.post('/after', twiml('<Response><Say>The end.</Say></Response>'));
  app.post('/loop', twiml('<Response><Redirect>/loop</Redirect></Response>'));
  app.post('/html', (_req, res) => void res.type('text/html').send('<html><body>Welcome</body></html>'));
  app.post('/blank', (_req, res) => void res.type('text/xml').send(''));
  app.post('/calls/ended', (_req, res) => void res.status(204).end());
  app.post('/crash', (_req, res) => void res.status(500).type('text/plain').send('Internal Server Error\nstack trace here'));
  server = await listen(app);
});
afterEach(() => server.close());

/** Checked with the tests' own naive signer, on the URL as this server received it. */
function signed(req: Request): boolean {
  const url = `http://127.0.0.1:${server.port}${req.originalUrl}`;
  const pairs = req.method === 'POST' ? Object.entries(req.body as Record<string, string>) : [];
  return req.get('X-Twilio-Signature') === twilioSign(TOKEN, url, pairs);
}

// Without a status callback unless a test names one (a later --status-callback wins).
const simulate = (path: string, ...args: string[]) =>
  runCli(['simulate', 'call', '--url', server.origin + path, '--no-status-callback', ...args], { TWILIO_AUTH_TOKEN: TOKEN });

describe('switchboard simulate call, against any TwiML server', () => {
  test('relative URLs, a GET Gather, Dial without action, Record to the document URL, Reject', async () => {
    const run = await simulate('/ivr/start', '--digits', '5', '--dial-status', 'busy', '--status-callback', `${server.origin}/calls/ended`, '--json');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as {
      outcome: string;
      transcript: string[];
      steps: Array<{ heard: string[] }>;
      statusCallback: { status: number; request: { params: Record<string, string> } };
    };
    expect(result.outcome).toBe('reject');
    expect(seen.map((request) => [request.method, request.path.replace(/\?.*/, '?…'), request.signatureOk])).toEqual([
      ['POST', '/ivr/start', true],
      ['GET', '/ivr/next?…', true],
      ['POST', '/ivr/next?…', true],
      ['POST', '/calls/ended', true],
    ]);
    // <Reject reason="busy"> ends the call "busy", and an unanswered call has no CallDuration.
    expect(seen[3]?.body).toMatchObject({ CallStatus: 'busy', Direction: 'inbound', CallbackSource: 'call-progress-events' });
    expect(seen[3]?.body).not.toHaveProperty('CallDuration');
    expect(result.statusCallback.status).toBe(204);
    // GET: Twilio's parameters travel in the query string, the body is empty.
    const query = new URLSearchParams(seen[1]?.path.split('?')[1]);
    expect(query.get('Digits')).toBe('5');
    expect(query.get('CallStatus')).toBe('in-progress');
    expect(seen[1]?.body).toEqual({});
    // <Record> without action posts to the document's URL; no finish key means the caller hangs up.
    expect(seen[2]?.path).toBe(seen[1]?.path);
    expect(seen[2]?.body).toMatchObject({ RecordingDuration: '7', Digits: 'hangup' });
    expect(seen[2]?.body).not.toHaveProperty('DialCallStatus');
    expect(result.steps.map((step) => step.heard)).toEqual([
      ['Welcome to the test line.', 'https://example.com/hello.mp3', `${server.origin}/prompt.mp3`],
      ['Back from the dial.'],
      [],
    ]);
    expect(result.transcript.slice(2)).toEqual([
      `→ POST ${server.origin}/ivr/start`,
      '  Say: Welcome to the test line. (×2)',
      '  Play: https://example.com/hello.mp3',
      '  Pause: 2 s',
      '  Play digits: ww1',
      '  Gather (keys):',
      `    Play: ${server.origin}/prompt.mp3`,
      '  Caller presses 5',
      expect.stringMatching(new RegExp(`^→ GET ${server.origin}/ivr/next  Digits=5$`)) as unknown as string,
      '  Dial: +15550001111',
      '  Dial result: busy',
      '  Say: Back from the dial.',
      '  Record',
      '  Caller leaves a 7-second recording and hangs up',
      expect.stringMatching(/^→ POST http:\/\/127\.0\.0\.1:\d+\/ivr\/next\?CallSid=CA[0-9a-f]{32}&.*&Digits=5 {2}RecordingUrl=/) as unknown as string,
      '  Reject (busy)',
      'Call ends: busy',
      `→ POST ${server.origin}/calls/ended  CallStatus=busy`,
      'Outcome: reject after 3 requests',
    ]);
  });

  test('a Gather that hears nothing falls through to the next verb', async () => {
    const run = await simulate('/ivr/start');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('  No input: timeout, continuing with the next verb\n  Say: We did not get that. Goodbye.\n  Hangup\nOutcome: hangup after 1 request\n');
  });

  test('actionOnEmptyResult posts the empty result; unknown verbs are skipped; the end of the document ends the call', async () => {
    const run = await simulate('/empty-ok');
    expect(run.code).toBe(0);
    expect(seen.map((request) => request.path)).toEqual(['/empty-ok', '/after']);
    expect(seen[1]?.body).not.toHaveProperty('Digits');
    expect(run.stdout.split('\n').slice(3)).toEqual([
      '  <Connect> is not simulated; skipped',
      '  Gather (keys):',
      '  No input: timeout',
      `→ POST ${server.origin}/after`,
      '  Say: The end.',
      '  (end of document: Twilio hangs up)',
      'Outcome: end after 2 requests',
      '',
    ]);
  });

  test('a redirect loop is cut after --max-steps requests: exit code 2', async () => {
    const run = await simulate('/loop', '--max-steps', '4', '--json');
    expect(run.code).toBe(2);
    expect(seen).toHaveLength(4);
    expect(run.stderr).toBe('switchboard: stopped after 4 requests; the TwiML may loop (raise --max-steps if not)\n');
    const result = JSON.parse(run.stdout) as { outcome: string; error: string; steps: unknown[] };
    expect(result).toMatchObject({ outcome: 'max-steps', error: 'stopped after 4 requests; the TwiML may loop (raise --max-steps if not)' });
    expect(result.steps).toHaveLength(4);
  });

  test.each([
    ['/html', `POST {origin}/html: the document's root is <html>, not <Response>`],
    ['/blank', 'POST {origin}/blank: the response body is empty, not TwiML'],
    ['/crash', 'POST {origin}/crash answered 500: Internal Server Error'],
    ['/missing', 'POST {origin}/missing answered 404: <!DOCTYPE html>'],
  ])('%s: not TwiML is an error of one line, exit code 1', async (path, message) => {
    const run = await simulate(path);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`switchboard: ${message.replace('{origin}', server.origin)}\n`);
  });
});
