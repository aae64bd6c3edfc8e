import request from 'supertest';
import { parseSettings, SettingsError } from '../../src/settings';
import { buildTestApp, type TestApp } from '../support/app';
import { formBody, twilioSign } from '../support/twilio-sign';

const TOKEN = 'abcdefabcdefabcdefabcdefabcdef12';
const BASE = 'https://acme.example.com';
const X = '<?xml version="1.0" encoding="UTF-8"?>';
const CALL: Array<[string, string]> = [
  ['CallSid', 'CA' + 'c'.repeat(32)],
  ['From', '+15551230000'],
  ['To', '+15005550001'],
];

const FILE = {
  voice: {
    start: 'desk',
    nodes: {
      desk: {
        type: 'client',
        identities: ['alice', 'bob.smith@acme'],
        message: { say: 'Connecting you to the front desk.' },
        timeout: 15,
        callerId: '+15005550006',
        fallback: { type: 'voicemail' },
      },
      quiet: { type: 'client', identities: ['carol'] },
    },
  },
};

function problem(json: unknown): string {
  try {
    parseSettings(json, 'switchboard.config.json');
  } catch (err) {
    expect(err).toBeInstanceOf(SettingsError);
    return (err as Error).message;
  }
  throw new Error('expected a SettingsError');
}

let t: TestApp;
beforeEach(() => {
  t = buildTestApp({ TWILIO_AUTH_TOKEN: TOKEN, PUBLIC_BASE_URL: BASE }, undefined, { settings: parseSettings(FILE, 'test') });
});
afterEach(() => t.close());

async function twilioPost(path: string, extra: Array<[string, string]> = []): Promise<string> {
  const pairs = [...CALL, ...extra];
  const res = await request(t.app)
    .post(path)
    .set('X-Twilio-Signature', twilioSign(TOKEN, BASE + path, pairs))
    .type('form')
    .send(formBody(pairs));
  expect(res.status).toBe(200);
  return res.text;
}

describe('the client flow node', () => {
  test('its inline fallback is named after its place', () => {
    const settings = parseSettings(FILE, 'test');
    expect(settings.voice.nodes['desk']).toMatchObject({ type: 'client', fallback: 'desk.fallback' });
    expect(settings.voice.nodes['desk.fallback']).toEqual({ type: 'voicemail' });
  });

  test('rings every identity with <Dial><Client>, coming back to dial-result', async () => {
    expect(await twilioPost('/voice')).toBe(
      X +
        '<Response><Say>Connecting you to the front desk.</Say>' +
        `<Dial action="${BASE}/voice/node/desk/dial-result" method="POST" timeout="15" callerId="+15005550006">` +
        '<Client>alice</Client><Client>bob.smith@acme</Client></Dial></Response>',
    );
  });

  test('an unanswered ring goes to the fallback; an answered one hangs up', async () => {
    const voicemail = await twilioPost('/voice/node/desk/dial-result', [['DialCallStatus', 'no-answer']]);
    expect(voicemail).toContain(`<Record action="${BASE}/voice/node/desk.fallback/recorded"`);
    expect(await twilioPost('/voice/node/desk/dial-result', [['DialCallStatus', 'completed']])).toBe(X + '<Response><Hangup/></Response>');
  });

  test('without a fallback, nobody answering ends the call politely', async () => {
    expect(await twilioPost('/voice/node/quiet')).toBe(
      X + `<Response><Dial action="${BASE}/voice/node/quiet/dial-result" method="POST" timeout="20"><Client>carol</Client></Dial></Response>`,
    );
    expect(await twilioPost('/voice/node/quiet/dial-result', [['DialCallStatus', 'busy']])).toBe(
      X + '<Response><Say>Sorry, nobody is available to take your call. Goodbye.</Say><Hangup/></Response>',
    );
  });

  test.each([
    [{ type: 'client', identities: [] }, 'voice.start.identities: must name at least one identity'],
    [{ type: 'client', identities: ['alice smith'] }, 'voice.start.identities.0: identities use letters, digits and _ . @ - (at most 121)'],
    [{ type: 'client', identities: ['a'.repeat(122)] }, 'voice.start.identities.0: identities use letters, digits and _ . @ - (at most 121)'],
    [{ type: 'client', identities: Array.from({ length: 11 }, (_, i) => `agent${i}`) }, 'voice.start.identities: must name at most 10 identities'],
    [{ type: 'client', identities: ['alice'], fallback: 'nowhere' }, 'voice.nodes.start.fallback: no node is named "nowhere"'],
    [{ type: 'client', identities: ['alice'], to: 'bob' }, 'voice.start: Unrecognized key: "to"'],
  ])('%j is refused', (start, message) => {
    expect(problem({ voice: { start } })).toBe(`switchboard.config.json: ${message}`);
  });
});
