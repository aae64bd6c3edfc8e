import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { startChildServer, type ChildServer } from '../support/child-server';
import { runCli } from '../support/cli';

/** The built server (dist/src/server.js) with the example config and signatures on, as in production. */
const TOKEN = 'abcdefabcdefabcdefabcdefabcdef12';
const BASE = 'https://acme.example.com';
const EXAMPLE = path.resolve(__dirname, '../../switchboard.config.example.json');
const API_KEY = 'real-server-api-key-0123456789abcdef';

let dir: string;
let server: ChildServer | undefined;
let env: Record<string, string>;
let origin: string;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-cli-server-'));
  server = await startChildServer(
    { CONFIG_PATH: EXAMPLE, TWILIO_AUTH_TOKEN: TOKEN, PUBLIC_BASE_URL: BASE, DATABASE_PATH: 'sb.db', API_KEY },
    dir,
  );
  env = { TWILIO_AUTH_TOKEN: TOKEN, PUBLIC_BASE_URL: BASE, SWITCHBOARD_URL: `http://127.0.0.1:${server.port}` };
  origin = env.SWITCHBOARD_URL as string;
});
afterAll(async () => {
  if (server !== undefined) {
    server.child.kill('SIGTERM');
    await server.exited;
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

function rows(sql: string, ...params: string[]): unknown[] {
  const db = new Database(path.join(dir, 'sb.db'), { readonly: true });
  try {
    return db.prepare(sql).all(...params);
  } finally {
    db.close();
  }
}

describe('the CLI against the real server process', () => {
  test('an IVR walk ends in voicemail, in business hours (menu, 3) or after them (closed message)', async () => {
    const callSid = 'CA' + '1'.repeat(32);
    const run = await runCli(['simulate', 'call', '--digits', '3', '--call-sid', callSid, '--json'], env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { outcome: string; steps: Array<{ request: { publicUrl: string }; heard: string[] }> };
    expect(result.outcome).toBe('hangup');
    const open = result.steps[0]?.heard[0] === 'Thanks for calling Acme.';
    expect(result.steps.map((step) => step.request.publicUrl)).toEqual([
      `${BASE}/voice`,
      open ? `${BASE}/voice/node/main/gather?attempt=0` : `${BASE}/voice/node/voicemail`,
      `${BASE}/voice/node/voicemail/recorded`,
    ]);
    expect(result.steps[0]?.heard).toEqual(
      open
        ? ['Thanks for calling Acme.', 'For sales, press 1 or say sales. For support, press 2 or say support. To leave a message, press 3.']
        : ['Our office is closed. We are open Monday to Friday, nine to five.'],
    );
    expect(result.steps[2]?.heard).toEqual(['Thank you for your message. Goodbye.']);
    expect(rows('SELECT call_sid, from_number, duration, source FROM voicemails WHERE call_sid = ?', callSid)).toEqual([
      { call_sid: callSid, from_number: '+15555550100', duration: 7, source: 'flow:voicemail' },
    ]);
  });

  test.each([
    ['2026-01-07T15:00:00Z', 'Thanks for calling Acme.'],
    ['2026-01-07T23:00:00Z', 'Our office is closed. We are open Monday to Friday, nine to five.'],
  ])('--at %s: the real server judges business hours at that time', async (at, first) => {
    const run = await runCli(['simulate', 'call', '--at', at, '--json'], env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { steps: Array<{ heard: string[] }> };
    expect(result.steps[0]?.heard[0]).toBe(first);
  });

  test('the call ends with a signed status callback: GET /api/calls/:sid shows it completed, not ringing', async () => {
    const callSid = 'CA' + '3'.repeat(32);
    const run = await runCli(['simulate', 'call', '--digits', '3', '--call-sid', callSid], env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`\nCall ends: completed, (\\d+) s\n→ POST ${origin}/status/call  CallStatus=completed, CallDuration=\\d+\nOutcome: hangup`));
    const duration = Number(/CallDuration=(\d+)/.exec(run.stdout)?.[1]);
    const res = await fetch(`${origin}/api/calls/${callSid}`, { headers: { Authorization: `Bearer ${API_KEY}` } });
    expect(res.status).toBe(200);
    const call = (await res.json()) as { status: string; duration: number; events: Array<{ status: string; params: Record<string, string> }> };
    expect(call).toMatchObject({ status: 'completed', duration, direction: 'inbound' });
    expect(call.events.map((event) => [event.status, event.params.CallDuration])).toEqual([['completed', String(duration)]]);
  });

  test('a wrong token: the 403 reason as one line, exit code 1', async () => {
    const run = await runCli(['simulate', 'call'], { ...env, TWILIO_AUTH_TOKEN: 'wrong-token' });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`switchboard: POST ${origin}/voice answered 403: invalid X-Twilio-Signature\n`);
  });

  test('simulate sms: the forward and the HELP reply, and the message is recorded', async () => {
    const messageSid = 'SM' + '2'.repeat(32);
    const run = await runCli(['simulate', 'sms', '--body', 'help', '--from', '+15551112222', '--message-sid', messageSid], env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      [
        `Message ${messageSid} from +15551112222 to +15555550199: "help"`,
        `Requests are signed with TWILIO_AUTH_TOKEN for ${BASE} (the URL Twilio would use)`,
        `→ POST ${origin}/sms`,
        '  Message to +15005550006: From +15551112222: help',
        '  Reply: Acme Support: reply HOURS for opening hours. Reply STOP to unsubscribe.',
        'Outcome: end',
        '',
      ].join('\n'),
    );
    expect(rows('SELECT sid, direction, from_number, body FROM messages WHERE sid = ?', messageSid)).toEqual([
      { sid: messageSid, direction: 'inbound', from_number: '+15551112222', body: 'help' },
    ]);
  });

  test('simulate sms --json: replies with their media; a message from the forwarding number gets no forward', async () => {
    const run = await runCli(
      ['simulate', 'sms', '--body', 'look', '--media', 'https://example.com/a.jpg', '--from', '+15005550006', '--json'],
      env,
    );
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { outcome: string; replies: unknown[]; steps: Array<{ request: { params: Record<string, string> } }> };
    expect(result.outcome).toBe('end');
    expect(result.replies).toEqual([{ body: 'Thanks, we got your picture.', media: [] }]);
    expect(result.steps[0]?.request.params).toMatchObject({ NumMedia: '1', MediaUrl0: 'https://example.com/a.jpg', SmsStatus: 'received' });
  });
});
