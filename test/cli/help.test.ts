import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { CLI_BIN, runCli } from '../support/cli';

describe('--help and usage errors', () => {
  test.each([
    [['--help'], 'Usage: switchboard [options] [command]'],
    [['simulate', '--help'], 'Usage: switchboard simulate [options] [command]'],
    [['simulate', 'call', '--help'], 'Usage: switchboard simulate call [options]'],
    [['simulate', 'sms', '--help'], 'Usage: switchboard simulate sms [options]'],
    [['twiml', '--help'], 'Usage: switchboard twiml [options] [node]'],
    [['check-config', '--help'], 'Usage: switchboard check-config [options]'],
    [['call', '--help'], 'Usage: switchboard call [options]'],
    [['sms', '--help'], 'Usage: switchboard sms [options]'],
    [['sign', '--help'], 'Usage: switchboard sign [options]'],
    [['reload', '--help'], 'Usage: switchboard reload [options]'],
    [['backup', '--help'], 'Usage: switchboard backup [options] <file>'],
    [['sandbox', '--help'], 'Usage: switchboard sandbox [options]'],
    [['help', 'sign'], 'Usage: switchboard sign [options]'],
  ])('%j prints usage and options on stdout, exit code 0', async (args, usage) => {
    const run = await runCli(args);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout.split('\n')[0]).toBe(usage);
    expect(run.stdout).toContain('-h, --help');
  });

  test('the top-level help lists every command', async () => {
    const { stdout } = await runCli(['--help']);
    for (const command of ['simulate', 'twiml', 'check-config', 'flow', 'call', 'sms', 'sign', 'reload', 'backup', 'sandbox']) expect(stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
  });

  test.each([
    [['dance'], "switchboard: unknown command 'dance'\n"],
    [['simulate', 'call', '--digit', '1'], "switchboard: unknown option '--digit' (Did you mean --digits?)\n"],
  ])('%j: an error line and exit code 1', async (args, stderr) => {
    expect(await runCli(args)).toEqual({ code: 1, stdout: '', stderr });
  });

  test('the bin shim says to build when dist/ is missing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-shim-'));
    fs.mkdirSync(path.join(dir, 'bin'));
    fs.copyFileSync(CLI_BIN, path.join(dir, 'bin', 'switchboard'));
    const child = spawn(process.execPath, [path.join(dir, 'bin', 'switchboard'), '--help'], { cwd: dir });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    fs.rmSync(dir, { recursive: true, force: true });
    expect(code).toBe(1);
    expect(stderr).toBe(`switchboard: ${path.join(dir, 'dist', 'src', 'cli', 'main.js')} is missing: run npm run build first\n`);
  });
});
