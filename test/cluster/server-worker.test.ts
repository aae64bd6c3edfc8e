// The real server (dist/src/server.js) as a cluster worker under the real primary: one worker, as
// more would need the PostgreSQL store. Shows that the server's own shutdown runs when the primary
// asks, and that a signal reaching every process at once (systemd, Ctrl-C) is one drain, not two.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { SERVER_ENTRY, spawnLogged, type LoggedProcess } from '../support/child-server';

const PRIMARY = path.resolve(__dirname, 'fixtures/primary.js');
const BODY = 'CallSid=CA' + '5'.repeat(32) + '&From=%2B15550001111&To=%2B15550002222';

let dir: string;
let primary: LoggedProcess | undefined;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-worker-'));
});
afterEach(async () => {
  if (primary !== undefined && primary.child.exitCode === null && primary.child.signalCode === null) {
    primary.child.kill('SIGKILL');
    await primary.exited;
  }
  primary = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});

/**
 * A /voice request whose body is only half sent. It resolves once the worker has read the headers
 * (its `100 Continue`), so the request is in flight there, not queued somewhere before it.
 */
async function halfRequest(port: number): Promise<{ finish(): Promise<string> }> {
  const socket = net.connect(port, '127.0.0.1');
  let response = '';
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  const continued = new Promise<void>((resolve) =>
    socket.on('data', (chunk: Buffer) => {
      response += chunk.toString('utf8');
      if (response.startsWith('HTTP/1.1 100 Continue\r\n\r\n')) resolve();
    }),
  );
  socket.write(
    'POST /voice HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nExpect: 100-continue\r\n' +
      `Content-Length: ${BODY.length}\r\n\r\n${BODY.slice(0, 10)}`,
  );
  await continued;
  return {
    finish: async () => {
      socket.write(BODY.slice(10));
      await closed;
      return response;
    },
  };
}

async function startCluster(): Promise<{ primary: LoggedProcess; port: number; worker: number }> {
  primary = spawnLogged(PRIMARY, { FIXTURE_WORKERS: '1', FIXTURE_WORKER_SCRIPT: SERVER_ENTRY, DATABASE_PATH: 'sb.db' }, dir);
  const ready = await primary.waitForLog('all workers listening');
  const worker = (await primary.waitForLog('worker listening')).pid as number;
  return { primary, port: ready.port as number, worker };
}

test.each([
  ['the primary alone gets SIGTERM (docker stop, kill)', false],
  ['every process gets SIGTERM at once (systemd, Ctrl-C)', true],
])('%s: the worker finishes its in-flight request, stops cleanly, and the primary exits 0', async (_title, everyProcess) => {
  const { primary, port, worker } = await startCluster();
  const request = await halfRequest(port);
  primary.child.kill('SIGTERM');
  if (everyProcess) process.kill(worker, 'SIGTERM');
  await primary.waitForLog('shutting down: finishing in-flight requests');

  const response = await request.finish();
  expect(response).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 OK\r\n/);
  expect(response).toContain('<Response><Say>Hello! This is Switchboard.');
  expect(await primary.exited).toEqual({ code: 0, signal: null });

  const messages = primary.lines.map((line) => line.msg);
  expect(messages.filter((msg) => msg === 'shutting down: finishing in-flight requests')).toHaveLength(1);
  expect(messages).not.toContain('second signal: exiting now');
  expect(messages).toContain('stopped');
  expect(primary.lines.filter((line) => line.msg === 'worker stopped').map(({ pid, code }) => ({ pid, code }))).toEqual([
    { pid: worker, code: 0 },
  ]);
  expect(primary.stderr()).toBe('');
});

test('a worker leaves PID_FILE to the primary, and reloads its config file once per SIGHUP the primary forwards', async () => {
  fs.writeFileSync(path.join(dir, 'flows.json'), '{}');
  primary = spawnLogged(PRIMARY, { FIXTURE_WORKERS: '1', FIXTURE_WORKER_SCRIPT: SERVER_ENTRY, DATABASE_PATH: 'sb.db', PID_FILE: 'sb.pid', CONFIG_PATH: 'flows.json' }, dir);
  await primary.waitForLog('all workers listening');
  expect(fs.existsSync(path.join(dir, 'sb.pid'))).toBe(false);

  primary.child.kill('SIGHUP');
  const reloaded = await primary.waitForLog('config file reloaded');
  expect(reloaded.file).toBe(path.join(fs.realpathSync(dir), 'flows.json'));
  primary.child.kill('SIGTERM');
  expect(await primary.exited).toEqual({ code: 0, signal: null });
  expect(primary.lines.filter((line) => line.msg === 'config file reloaded')).toHaveLength(1);
  expect(fs.existsSync(path.join(dir, 'sb.pid'))).toBe(false);
});
