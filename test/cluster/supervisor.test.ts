// The cluster primary (src/cluster/primary.ts, built) with a stand-in worker script: the server's
// own workers need the PostgreSQL store, which this branch does not have.
import http from 'node:http';
import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import { restartDelay } from '../../src/cluster/backoff';
import { spawnLogged, type LoggedProcess } from '../support/child-server';

const PRIMARY = path.resolve(__dirname, 'fixtures/primary.js');

/** One request on a new connection, so that the cluster hands each to the next worker. */
function get(port: number, urlPath = '/'): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, agent: false }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
    });
    req.on('error', reject);
  });
}

/** The pids that answer `count` requests in a row. */
async function answeringPids(port: number, count: number): Promise<Set<unknown>> {
  const pids = new Set<unknown>();
  for (let i = 0; i < count; i++) pids.add((await get(port)).body.pid);
  return pids;
}

let dir: string;
let primary: LoggedProcess | undefined;

async function startPrimary(env: Record<string, string> = {}): Promise<{ primary: LoggedProcess; port: number; pids: unknown[] }> {
  primary = spawnLogged(PRIMARY, { FIXTURE_WORKERS: '2', ...env }, dir);
  const ready = await primary.waitForLog('all workers listening');
  const pids = (await primary.waitForLogs('worker listening', 2)).map((line) => line.pid);
  return { primary, port: ready.port as number, pids };
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-cluster-'));
});
afterEach(async () => {
  if (primary !== undefined && primary.child.exitCode === null && primary.child.signalCode === null) {
    // Its workers exit on their own when the primary's IPC channel closes.
    primary.child.kill('SIGKILL');
    await primary.exited;
  }
  primary = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('restartDelay', () => {
  test('doubles with each crash in a row, up to the maximum', () => {
    const backoff = { initialMs: 500, maxMs: 30_000, stableMs: 60_000 };
    expect([0, 1, 2, 3, 5, 6, 100].map((n) => restartDelay(n, backoff))).toEqual([500, 1000, 2000, 4000, 16_000, 30_000, 30_000]);
  });
});

describe('cluster primary', () => {
  test('forks two workers that share one port, and both answer', async () => {
    const { primary, port, pids } = await startPrimary();
    expect(new Set(pids).size).toBe(2);
    expect(primary.lines.filter((line) => line.msg === 'worker listening').map((line) => line.port)).toEqual([port, port]);
    // The cluster hands new connections to its workers in turn.
    expect(await answeringPids(port, 4)).toEqual(new Set(pids));
    // onListening (the server writes PID_FILE there) once every worker listens, and only once.
    const messages = primary.lines.map((line) => line.msg);
    expect(messages.filter((msg) => msg === 'fixture primary: onListening')).toHaveLength(1);
    expect(messages.indexOf('fixture primary: onListening')).toBe(messages.indexOf('all workers listening') + 1);
  });

  test('replaces a worker that dies, waiting longer each time in a row, and logs why', async () => {
    const { primary, port, pids } = await startPrimary();
    const [first, survivor] = pids as [number, number];
    const slot = primary.lines.find((line) => line.msg === 'worker listening' && line.pid === first)?.worker;

    process.kill(first, 'SIGKILL');
    const replacement = (await primary.waitForLogs('worker listening', 3))[2];
    expect(replacement).toMatchObject({ worker: slot, port });
    process.kill(replacement?.pid as number, 'SIGKILL');
    const second = (await primary.waitForLogs('worker listening', 4))[3];

    const restarts = primary.lines.filter((line) => line.msg === 'worker exited unexpectedly; restarting');
    expect(restarts.map(({ worker, pid, code, signal, restartInMs }) => ({ worker, pid, code, signal, restartInMs }))).toEqual([
      { worker: slot, pid: first, code: null, signal: 'SIGKILL', restartInMs: 100 },
      { worker: slot, pid: replacement?.pid, code: null, signal: 'SIGKILL', restartInMs: 200 },
    ]);
    expect(await answeringPids(port, 4)).toEqual(new Set([survivor, second?.pid]));
  });

  test('forwards SIGHUP to every worker', async () => {
    const { primary, port, pids } = await startPrimary();
    primary.child.kill('SIGHUP');
    const got = await primary.waitForLogs('fixture worker got SIGHUP', 2);
    expect(new Set(got.map((line) => line.pid))).toEqual(new Set(pids));
    expect(got.map((line) => line.hups)).toEqual([1, 1]);
    const answers = await Promise.all([get(port), get(port)]);
    expect(answers.map((answer) => answer.body.hups)).toEqual([1, 1]);
    expect(primary.child.exitCode).toBeNull();
  });

  test('on SIGTERM each worker finishes its in-flight request, then the primary exits 0', async () => {
    const { primary, port, pids } = await startPrimary();
    const held = [get(port, '/hold'), get(port, '/hold')];
    const holding = await primary.waitForLogs('fixture worker holding a request', 2);
    expect(new Set(holding.map((line) => line.pid))).toEqual(new Set(pids));

    primary.child.kill('SIGTERM');
    const answers = await Promise.all(held);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    expect(new Set(answers.map((answer) => answer.body.pid))).toEqual(new Set(pids));
    expect(answers.every((answer) => answer.body.drained === true)).toBe(true);

    expect(await primary.exited).toEqual({ code: 0, signal: null });
    const messages = primary.lines.map((line) => line.msg);
    expect(messages.filter((msg) => msg === 'fixture worker draining')).toHaveLength(2);
    expect(primary.lines.filter((line) => line.msg === 'worker stopped').map((line) => line.code)).toEqual([0, 0]);
    expect(messages).not.toContain('worker exited unexpectedly; restarting');
    // Not necessarily the last line read: lines written while an earlier write is still going out
    // are flushed synchronously at exit (src/logger.ts), which can overtake it.
    expect(messages.filter((msg) => msg === 'all workers stopped')).toHaveLength(1);
    expect(primary.stderr()).toBe('');
  });

  test('a worker that cannot start stops the primary with exit code 1, without restarting it', async () => {
    primary = spawnLogged(PRIMARY, { FIXTURE_WORKERS: '2', FIXTURE_FAIL_START: '1' }, dir);
    expect(await primary.exited).toEqual({ code: 1, signal: null });
    const messages = primary.lines.map((line) => line.msg);
    expect(messages.filter((msg) => msg === 'worker exited before listening; stopping')).toHaveLength(1);
    expect(messages).not.toContain('worker exited unexpectedly; restarting');
    expect(messages).not.toContain('fixture primary: onListening');
    expect(messages.filter((msg) => msg === 'all workers stopped')).toHaveLength(1);
    // Each worker that got as far as its check says why, in one line.
    const reasons = primary.stderr().split('\n').filter((line) => line !== '');
    expect(reasons.length).toBeGreaterThanOrEqual(1);
    expect(new Set(reasons)).toEqual(new Set(['fixture worker: cannot start']));
  });
});
