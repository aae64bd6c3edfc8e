import fs from 'node:fs';
import path from 'node:path';
import { VoiceResponse, MessagingResponse } from '../../src/twiml';
import twilio from 'twilio';

test('builds an IVR document identical to twilio-node', () => {
  const r = new VoiceResponse();
  const g = r.gather({ input: ['dtmf', 'speech'], action: '/menu', numDigits: 1 });
  g.say({ voice: 'alice' }, 'Press 1 & <2>');
  const d = r.dial({ callerId: '+1' });
  d.number('+2');
  d.number({ sendDigits: 'ww1' }, '+3');
  r.hangup();
  const t = new twilio.twiml.VoiceResponse();
  const tg = t.gather({ input: ['dtmf', 'speech'], action: '/menu', numDigits: 1 });
  tg.say({ voice: 'alice' }, 'Press 1 & <2>');
  const td = t.dial({ callerId: '+1' });
  td.number('+2');
  td.number({ sendDigits: 'ww1' }, '+3');
  t.hangup();
  expect(r.toString()).toBe(t.toString());
  expect(d.toString()).toBe(t.toString());
  const m = new MessagingResponse();
  m.message('hi').media('u');
  expect(m.toString()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response><Message>hi<Media>u</Media></Message></Response>');
});

test('src/twiml is pure: no twilio, express or I/O imports; xmlbuilder2 is its only dependency', () => {
  const dir = path.join(__dirname, '../../src/twiml');
  for (const file of fs.readdirSync(dir)) {
    const source = fs.readFileSync(path.join(dir, file), 'utf8');
    const imports = [...source.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
    expect({ file, external: imports.filter((i) => !i!.startsWith('./') && !/^xmlbuilder2(\/|$)/.test(i!)) }).toEqual({ file, external: [] });
  }
});
