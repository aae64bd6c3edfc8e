import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadSettingsFile, parseSettings, SettingsError } from '../../src/settings';

const EXAMPLE = path.resolve(__dirname, '../../switchboard.config.example.json');

function problem(json: unknown): string {
  try {
    parseSettings(json, 'switchboard.config.json');
  } catch (err) {
    expect(err).toBeInstanceOf(SettingsError);
    return (err as Error).message;
  }
  throw new Error('expected a SettingsError');
}

describe('the config file', () => {
  test('the shipped example is valid, with inline nodes named after their place', () => {
    const settings = loadSettingsFile(EXAMPLE, true);
    expect(settings.voice.start).toBe('office-hours');
    expect(Object.keys(settings.voice.nodes).sort()).toEqual(
      ['after-hours', 'main', 'main.9', 'office-hours', 'sales', 'support', 'support.1', 'support.2', 'voicemail'].sort(),
    );
    expect(settings.voice.nodes['main']).toMatchObject({ options: { '1': 'sales', '9': 'main.9' } });
    expect(settings.voice.nodes['main.9']).toEqual({ type: 'conference', room: 'acme-team', message: { say: 'Joining the team room.' } });
    expect(Object.isFrozen(settings.voice.nodes['main'])).toBe(true);
  });

  test('without a file, the built-in greeting answers and SMS gets no reply', () => {
    const settings = loadSettingsFile(path.join(os.tmpdir(), 'no-such-switchboard.json'), false);
    expect(settings.voice).toEqual({
      start: 'start',
      nodes: { start: { type: 'say', message: { say: 'Hello! This is Switchboard. Your server is up and answering calls. Goodbye.' } } },
    });
    expect(settings.sms).toEqual({});
  });

  test('a file named by CONFIG_PATH must exist', () => {
    const file = path.join(os.tmpdir(), 'no-such-switchboard.json');
    expect(() => loadSettingsFile(file, true)).toThrow(`${file}: cannot read: ENOENT: no such file or directory, open '${file}'`);
  });

  test('malformed JSON is reported with the file name', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-settings-'));
    const file = path.join(dir, 'bad.json');
    fs.writeFileSync(file, '{ "voice": ');
    expect(() => loadSettingsFile(file, true)).toThrow(/^.*bad\.json: not valid JSON: /);
    fs.rmSync(dir, { recursive: true });
  });

  test.each([
    [{ voice: { start: 'main' } }, 'voice.start: no node is named "main"'],
    [{ vioce: {} }, '(top level): Unrecognized key: "vioce"'],
    [{ voice: { start: { type: 'menu' } } }, 'voice.start.prompt: must be { "say": "text" } (with optional voice and language) or { "play": "https://..." }'],
    [{ voice: { start: { type: 'dance' } } }, 'voice.start.type: a node is an object whose "type" is one of menu, forward, ring, voicemail, say, conference, redirect, hangup, hours, client'],
    [
      { voice: { start: 'a', nodes: { a: { type: 'forward', to: '555-1234' } } } },
      'voice.nodes.a.to: must be an E.164 number, client:<identity> or sip:<address>',
    ],
    [
      { voice: { start: 'a', nodes: { a: { type: 'say', message: { say: 'hi', voice: 'Polly.Joana' } } } } },
      'voice.nodes.a.message: must be { "say": "text" } (with optional voice and language) or { "play": "https://..." }',
    ],
    [
      { voice: { start: 'm', nodes: { m: { type: 'menu', prompt: { say: 'x' }, options: { '1': 'nowhere' } } } } },
      'voice.nodes.m.options.1: no node is named "nowhere"',
    ],
    [
      { voice: { start: 'm', nodes: { m: { type: 'menu', prompt: { say: 'x' }, options: { '1': { type: 'hangup' } }, speech: { sales: '2' } } } } },
      'voice.nodes.m.speech.sales: "2" is not one of the menu\'s options',
    ],
    [
      { voice: { start: 'm', nodes: { m: { type: 'menu', prompt: { say: 'x' }, options: { one: { type: 'hangup' } } } } } },
      'voice.nodes.m.options.one: option keys are the digits to press',
    ],
    [
      { voice: { start: 'h', nodes: { h: { type: 'hours', timeZone: 'Mars/Olympus', schedule: {}, open: 'h', closed: 'h' } } } },
      'voice.nodes.h.timeZone: is not an IANA time zone such as America/New_York',
    ],
    [
      { voice: { start: 'h', nodes: { h: { type: 'hours', timeZone: 'UTC', schedule: { mon: ['9-5'] }, open: 'h', closed: 'h' } } } },
      'voice.nodes.h.schedule.mon.0: periods are "HH:MM-HH:MM"',
    ],
    [
      { voice: { start: 'h', nodes: { h: { type: 'hours', timeZone: 'UTC', schedule: {}, open: 'h', closed: { type: 'hangup' } } } } },
      'voice.nodes.h: business-hours nodes lead back to themselves',
    ],
    [
      { voice: { start: 'v', nodes: { v: { type: 'voicemail', maxLength: 0 } } } },
      'voice.nodes.v.maxLength: Too small: expected number to be >=1',
    ],
    [{ sms: { forwardTo: 'me' } }, 'sms.forwardTo: must be an E.164 number such as +15551234567'],
    [{ sms: { keywords: { 'two words': 'x' } } }, 'sms.keywords.two words: keywords are one word of letters and digits'],
    [{ sms: { autoReply: 'x'.repeat(1601) } }, 'sms.autoReply: must be at most 1600 characters'],
    [{ twimlets: { holdMusic: { jazz: ['ftp://x'] } } }, 'twimlets.holdMusic.jazz.0: must be an http(s) URL'],
  ])('%j is refused with the JSON path and the problem', (json, message) => {
    expect(problem(json)).toBe(`switchboard.config.json: ${message}`);
  });
});
