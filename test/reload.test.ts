import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startChildServer, type ChildServer } from './support/child-server';
import { runCli } from './support/cli';

const X = '<?xml version="1.0" encoding="UTF-8"?>';
const say = (text: string, next?: string) => ({ type: 'say', message: { say: text }, ...(next !== undefined && { next }) });

let dir: string;
let configFile: string;
let pidFile: string;
let server: ChildServer | undefined;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-reload-'));
  configFile = path.join(dir, 'flows.json');
  pidFile = path.join(dir, 'switchboard.pid');
});

afterEach(async () => {
  if (server !== undefined && server.child.exitCode === null) {
    server.child.kill('SIGTERM');
    await server.exited;
  }
  server = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});

const writeConfig = (json: unknown) => fs.writeFileSync(configFile, typeof json === 'string' ? json : JSON.stringify(json));

async function start(): Promise<ChildServer> {
  server = await startChildServer({ CONFIG_PATH: configFile, PID_FILE: pidFile, DATABASE_PATH: path.join(dir, 'sb.db') }, dir);
  return server;
}

async function webhook(s: ChildServer, route: string): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${s.port}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'CallSid=CA' + 'a'.repeat(32) + '&From=%2B15550001111&To=%2B15550002222',
  });
  expect(res.status).toBe(200);
  return res.text();
}

/** Waits for the `count`-th log line with this message. */
async function waitForLines(s: ChildServer, msg: string, count: number): Promise<Array<Record<string, unknown>>> {
  for (let i = 0; i < 200; i++) {
    const found = s.lines.filter((line) => line.msg === msg);
    if (found.length >= count) return found;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`fewer than ${count} "${msg}" lines; stderr: ${s.stderr()}`);
}

test('SIGHUP with a good file: the next webhook gets the new flow; a call on a step that is gone starts over', async () => {
  writeConfig({ voice: { start: 'hello', nodes: { hello: say('Version one.', 'bye'), bye: say('Goodbye from one.') } } });
  const s = await start();
  expect(fs.readFileSync(pidFile, 'utf8')).toBe(`${s.child.pid}\n`);
  expect(await webhook(s, '/voice')).toBe(`${X}<Response><Say>Version one.</Say><Redirect method="POST">/voice/node/bye</Redirect></Response>`);

  writeConfig({ voice: { start: 'welcome', nodes: { welcome: say('Version two.') } } });
  // As an operator would: the CLI reads the pid file and signals the server.
  const cli = await runCli(['reload', '--pid-file', pidFile]);
  expect(cli).toEqual({
    code: 0,
    stdout: `sent SIGHUP to process ${s.child.pid}; the server logs "config file reloaded", or why it kept the running config\n`,
    stderr: '',
  });
  const [reloaded] = await waitForLines(s, 'config file reloaded', 1);
  expect(reloaded).toMatchObject({ level: 30, file: configFile });

  expect(await webhook(s, '/voice')).toBe(`${X}<Response><Say>Version two.</Say></Response>`);
  // The caller was between "hello" and "bye" when the flow changed: "bye" no longer exists.
  expect(await webhook(s, '/voice/node/bye')).toBe(`${X}<Response><Say>Version two.</Say></Response>`);

  s.child.kill('SIGTERM');
  expect(await s.exited).toEqual({ code: 0, signal: null });
  expect(fs.existsSync(pidFile)).toBe(false);
}, 30_000);

test('SIGHUP with a broken file: the old flow keeps answering, and one log line names the JSON path', async () => {
  writeConfig({ voice: { start: 'hello', nodes: { hello: say('Still version one.') } } });
  const s = await start();
  const before = await webhook(s, '/voice');
  expect(before).toBe(`${X}<Response><Say>Still version one.</Say></Response>`);

  writeConfig({ voice: { start: 'hello', nodes: { hello: { type: 'shout', message: { say: 'Version two.' } } } } });
  s.child.kill('SIGHUP');
  const failed = await waitForLines(s, 'config file not reloaded; the running config stays', 1);
  expect(failed).toHaveLength(1);
  expect(failed[0]).toMatchObject({ level: 50 });
  expect(String(failed[0]?.problem)).toMatch(/^flows\.json: voice\.nodes\.hello\.type: /);
  expect(await webhook(s, '/voice')).toBe(before);

  // Not JSON at all: the same, naming the file.
  writeConfig('{ "voice": ');
  s.child.kill('SIGHUP');
  const twice = await waitForLines(s, 'config file not reloaded; the running config stays', 2);
  expect(String(twice[1]?.problem)).toMatch(/^.*flows\.json: not valid JSON: /);
  expect(await webhook(s, '/voice')).toBe(before);
  expect(s.lines.filter((line) => line.msg === 'config file reloaded')).toEqual([]);
}, 30_000);

test('switchboard reload says what is wrong in one line', async () => {
  expect(await runCli(['reload'])).toEqual({
    code: 1,
    stdout: '',
    stderr: 'switchboard: no server to signal: set PID_FILE as the server has it, or pass --pid-file FILE (or --unit switchboard under systemd)\n',
  });
  expect(await runCli(['reload'], { PID_FILE: pidFile })).toEqual({
    code: 1,
    stdout: '',
    stderr: `switchboard: cannot read pid file ${pidFile}: no such file (is the server running?)\n`,
  });
  fs.writeFileSync(pidFile, 'hello\n');
  expect((await runCli(['reload', '--pid-file', pidFile])).stderr).toBe(`switchboard: pid file ${pidFile} does not hold a process id\n`);
});
