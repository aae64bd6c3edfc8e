import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { flowDiagram } from '../../src/flows/flow-diagram';
import { loadSettingsFile } from '../../src/settings';
import { runCli } from '../support/cli';
import { svgElements } from '../support/svg';

const EXAMPLE = path.resolve(__dirname, '../../switchboard.config.example.json');

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-cli-flow-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('switchboard flow', () => {
  test('--svg prints the standalone diagram the dashboard draws, without links', async () => {
    const run = await runCli(['flow', '--svg'], { CONFIG_PATH: EXAMPLE }, dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(flowDiagram(loadSettingsFile(EXAMPLE, true).voice, { standalone: true }).svg);
    const elements = svgElements(run.stdout);
    expect(elements.filter((e) => e.name === 'a')).toEqual([]);
    expect(elements.filter((e) => e.attributes['data-node'] !== undefined)).toHaveLength(9);
  });

  test('without --svg: each node with its exits, as text', async () => {
    const run = await runCli(['flow'], { CONFIG_PATH: EXAMPLE }, dir);
    expect(run).toEqual({
      code: 0,
      stderr: '',
      stdout: [
        'office-hours (hours; start): mon-thu 09:00-17:00; fri 09:00-12:00 13:00-16:00',
        '  open -> main',
        '  closed -> after-hours',
        'main (menu): "For sales, press 1 or say sales. For support,…',
        '  1 · "sales" -> sales',
        '  2 · "support" -> support',
        '  3 -> voicemail',
        '  9 -> main.9',
        '  invalid / no input -> voicemail',
        'sales (forward): to +15005550006',
        '  no answer / busy / failed -> voicemail',
        'support (menu): "For billing, press 1. For technical support,…',
        '  1 -> support.1',
        '  2 -> support.2',
        '  invalid / no input -> voicemail',
        'voicemail (voicemail): records up to 120 s, transcribed',
        'after-hours (say): "Our office is closed. We are open Monday to…',
        '  next -> voicemail',
        'main.9 (conference): room acme-team',
        'support.1 (ring): rings +15005550007, +15005550008',
        '  no answer / busy / failed -> voicemail',
        'support.2 (redirect): POST https://example.com/tech-support.xml',
        '',
      ].join('\n'),
    });
  });

  test('a broken config file fails with the server\'s one-line error', async () => {
    const file = path.join(dir, 'bad.json');
    fs.writeFileSync(file, JSON.stringify({ voice: { start: 'a', nodes: { a: { type: 'say', message: { say: 'x' }, next: 'b' } } } }));
    const run = await runCli(['flow', '--svg'], { CONFIG_PATH: file }, dir);
    expect(run).toEqual({ code: 1, stdout: '', stderr: 'switchboard: configuration error: bad.json: voice.nodes.a.next: no node is named "b"\n' });
  });
});
