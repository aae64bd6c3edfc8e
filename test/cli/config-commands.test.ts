import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runFailingServer } from '../support/child-server';
import { runCli } from '../support/cli';

const EXAMPLE = path.resolve(__dirname, '../../switchboard.config.example.json');
const X = '<?xml version="1.0" encoding="UTF-8"?>';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-cli-config-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('switchboard twiml (dry run)', () => {
  test('prints exactly the TwiML the server answers for a node, with absolute URLs under PUBLIC_BASE_URL', async () => {
    const run = await runCli(['twiml', 'sales'], { CONFIG_PATH: EXAMPLE, PUBLIC_BASE_URL: 'https://acme.example.com/' }, dir);
    expect(run).toEqual({
      code: 0,
      stderr: '',
      stdout:
        X +
        '<Response><Say>Connecting you to sales.</Say>' +
        '<Dial action="https://acme.example.com/voice/node/sales/dial-result" method="POST" timeout="20" callerId="+15005550001">' +
        '<Number>+15005550006</Number></Dial></Response>\n',
    });
  });

  test('root-relative URLs without PUBLIC_BASE_URL; inline nodes by their generated names', async () => {
    const run = await runCli(['twiml', 'main.9'], { CONFIG_PATH: EXAMPLE }, dir);
    expect(run.stdout).toBe(
      X + '<Response><Say>Joining the team room.</Say><Dial><Conference>acme-team</Conference></Dial></Response>\n',
    );
    const voicemail = await runCli(['twiml', 'voicemail'], { CONFIG_PATH: EXAMPLE }, dir);
    expect(voicemail.stdout).toContain('<Record action="/voice/node/voicemail/recorded" method="POST"');
  });

  test('without a node: the start, with business hours evaluated --at a given time', async () => {
    const open = await runCli(['twiml', '--at', '2026-01-07T15:00:00Z'], { CONFIG_PATH: EXAMPLE }, dir);
    expect(open.stdout.startsWith(`${X}<Response><Say voice="Polly.Joanna" language="en-US">Thanks for calling Acme.</Say><Gather `)).toBe(true);
    // Saturday: closed.
    const closed = await runCli(['twiml', 'office-hours', '--at', '2026-01-10T15:00:00Z'], { CONFIG_PATH: EXAMPLE }, dir);
    expect(closed.stdout).toBe(
      X +
        '<Response><Say>Our office is closed. We are open Monday to Friday, nine to five.</Say>' +
        '<Redirect method="POST">/voice/node/voicemail</Redirect></Response>\n',
    );
  });

  test('the built-in greeting when there is no config file', async () => {
    const run = await runCli(['twiml'], {}, dir);
    expect(run.stdout).toBe(
      X + '<Response><Say>Hello! This is Switchboard. Your server is up and answering calls. Goodbye.</Say></Response>\n',
    );
  });

  test.each([
    [['twiml', 'nope'], 'switchboard: no node is named "nope" (the nodes are: after-hours, main, main.9, office-hours, sales, support, support.1, support.2, voicemail)\n'],
    [['twiml', '--at', 'tuesday'], "switchboard: option '--at <time>' argument 'tuesday' is invalid. must be an ISO 8601 time such as 2026-01-07T15:00:00Z\n"],
  ])('%j: one line, exit code 1', async (args, line) => {
    expect(await runCli(args, { CONFIG_PATH: EXAMPLE }, dir)).toEqual({ code: 1, stdout: '', stderr: line });
  });
});

describe('switchboard check-config', () => {
  test('a valid file: a one-line summary, exit code 0', async () => {
    const run = await runCli(['check-config'], { CONFIG_PATH: EXAMPLE }, dir);
    expect(run).toEqual({
      code: 0,
      stderr: '',
      stdout: `ok: ${EXAMPLE}: 9 voice nodes, calls start at "office-hours", 1 SMS keyword\n`,
    });
  });

  test('no CONFIG_PATH and no file at the default path: says plainly that no file was checked, exit code 0', async () => {
    const run = await runCli(['check-config'], {}, dir);
    expect(run).toEqual({
      code: 0,
      stderr: '',
      stdout: `no config file checked: CONFIG_PATH is not set and there is no ${path.join(dir, 'switchboard.config.json')} (the built-in defaults apply; the environment is valid)\n`,
    });
  });

  test('switchboard.config.json in the working folder is found like the server finds it', async () => {
    fs.writeFileSync(path.join(dir, 'switchboard.config.json'), JSON.stringify({ voice: { start: { type: 'hangup' } } }));
    const run = await runCli(['check-config'], {}, dir);
    expect(run.stdout).toBe(`ok: ${path.join(dir, 'switchboard.config.json')}: 1 voice node, calls start at "start", 0 SMS keywords\n`);
  });

  test.each([
    [{ voice: { start: 'main' } }, 'switchboard: configuration error: bad.json: voice.start: no node is named "main"\n'],
    [{ vioce: {} }, 'switchboard: configuration error: bad.json: (top level): Unrecognized key: "vioce"\n'],
    [
      { voice: { start: 'a', nodes: { a: { type: 'forward', to: '555-1234' } } } },
      'switchboard: configuration error: bad.json: voice.nodes.a.to: must be an E.164 number, client:<identity> or sip:<address>\n',
    ],
  ])('an invalid file %j: the start-up error as one line, exit code 1', async (json, line) => {
    fs.writeFileSync(path.join(dir, 'bad.json'), JSON.stringify(json));
    expect(await runCli(['check-config'], { CONFIG_PATH: 'bad.json' }, dir)).toEqual({ code: 1, stdout: '', stderr: line });
  });

  test('the very line the server prints when it refuses to start', async () => {
    fs.writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ voice: { start: { type: 'menu', prompt: { say: 'Hi' }, options: { '1': 'x' } } } }));
    const server = await runFailingServer({ CONFIG_PATH: 'bad.json' }, dir);
    const cli = await runCli(['check-config'], { CONFIG_PATH: 'bad.json' }, dir);
    expect(server.stderr).toBe('switchboard: configuration error: bad.json: voice.nodes.start.options.1: no node is named "x"\n');
    expect(cli).toEqual({ code: server.code, stdout: '', stderr: server.stderr });
  });

  test('a missing CONFIG_PATH file and a bad variable fail as at start-up', async () => {
    const missing = path.join(dir, 'gone.json');
    expect(await runCli(['check-config'], { CONFIG_PATH: missing }, dir)).toEqual({
      code: 1,
      stdout: '',
      stderr: `switchboard: configuration error: ${missing}: cannot read: ENOENT: no such file or directory, open '${missing}'\n`,
    });
    expect(await runCli(['check-config'], { PORT: 'http' }, dir)).toEqual({
      code: 1,
      stdout: '',
      stderr: 'switchboard: configuration error: PORT must be an integer from 0 to 65535 (got "http")\n',
    });
  });

  test('reads .env from the working folder, like the server', async () => {
    fs.writeFileSync(path.join(dir, '.env'), 'LOG_LEVEL=loud\n');
    const run = await runCli(['check-config'], {}, dir);
    expect(run.stderr).toBe('switchboard: configuration error: LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")\n');
  });
});
