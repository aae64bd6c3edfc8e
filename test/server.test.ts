import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { runFailingServer, SERVER_ENTRY, spawnLogged, startChildServer, type LoggedProcess } from './support/child-server';
import { APP_PASSWORD, startPostgres, type PostgresCluster } from './support/postgres';
import { describeNeeding, postgresPart } from './support/system-parts';
import { formBody, twilioSign } from './support/twilio-sign';

const TOKEN = '0123456789abcdef0123456789abcdef';
const callSid = (n: number) => 'CA' + n.toString(16).padStart(32, '0');

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-server-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('start-up', () => {
  test.each([
    [{ PORT: 'http' }, 'switchboard: configuration error: PORT must be an integer from 0 to 65535 (got "http")\n'],
    [
      { NODE_ENV: 'production' },
      'switchboard: configuration error: TWILIO_AUTH_TOKEN must be set when NODE_ENV=production, so that webhooks can be validated (or set WEBHOOK_VALIDATION=false)\n',
    ],
    [
      { WORKERS: '2' },
      'switchboard: configuration error: WORKERS must be 1 with SQLite (got 2): SQLite allows one process writing its file; set DATABASE_URL to use PostgreSQL\n',
    ],
  ])('a bad setting %j stops it with one line and exit code 1', async (env, line) => {
    const result = await runFailingServer(env, dir);
    expect(result).toEqual({ code: 1, stdout: '', stderr: line });
  });

  test('an unusable database file stops it with one line', async () => {
    fs.writeFileSync(path.join(dir, 'bad.db'), 'not a database'.repeat(200));
    const result = await runFailingServer({ DATABASE_PATH: 'bad.db' }, dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`switchboard: database error: cannot open database ${path.join(dir, 'bad.db')}: file is not a database\n`);
  });

  test('with WORKERS=2, the primary stops with exit code 1 when its workers cannot open the store', async () => {
    // Nothing listens on port 1: each worker (the real server, forked by the real primary) stops
    // at start-up; the primary must then stop too, not restart them in a loop.
    const result = await runFailingServer({ WORKERS: '2', DATABASE_URL: 'postgres://sb:secret@127.0.0.1:1/sb' }, dir);
    expect(result.code).toBe(1);
    const reasons = new Set(result.stderr.split('\n').filter((line) => line !== ''));
    expect(reasons).toEqual(new Set(['switchboard: database error: cannot open PostgreSQL database 127.0.0.1:1/sb: connect ECONNREFUSED 127.0.0.1:1']));
    const messages = result.stdout.split('\n').filter((line) => line !== '').map((line) => (JSON.parse(line) as { msg: string }).msg);
    expect(messages.filter((msg) => msg === 'worker exited before listening; stopping')).toHaveLength(1);
    expect(messages).not.toContain('worker exited unexpectedly; restarting');
    expect(result.stdout).not.toContain('secret');
  });

  test('reads .env from the working folder, without overriding the real environment', async () => {
    fs.writeFileSync(path.join(dir, '.env'), 'LOG_LEVEL=loud\nPORT=99999\n');
    const result = await runFailingServer({}, dir);
    expect(result.stderr).toBe('switchboard: configuration error: LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")\n');
  });
});

describe('a running server', () => {
  test('creates its database on first start and answers webhooks', async () => {
    const server = await startChildServer({}, dir);
    try {
      const res = await fetch(`http://127.0.0.1:${server.port}/voice`, { method: 'POST' });
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('<Response><Say>');
      expect((await fetch(`http://127.0.0.1:${server.port}/readyz`)).status).toBe(200);
      expect(fs.existsSync(path.join(dir, 'data', 'switchboard.db'))).toBe(true);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });

  test('on SIGTERM finishes the request in flight, then closes the database and exits 0', async () => {
    const server = await startChildServer({ DATABASE_PATH: 'sb.db' }, dir);
    const body = 'CallSid=CA' + '7'.repeat(32) + '&From=%2B15550001111&To=%2B15550002222';
    const socket = net.connect(server.port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    let response = '';
    socket.on('data', (chunk: Buffer) => (response += chunk.toString('utf8')));
    const ended = new Promise<void>((resolve) => socket.on('close', () => resolve()));

    // Half a request: the server is now waiting for the rest of the body.
    socket.write(
      `POST /voice HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    server.child.kill('SIGTERM');
    await server.waitForLog('shutting down: finishing in-flight requests');

    // New connections are refused while the old request is still open.
    await expect(fetch(`http://127.0.0.1:${server.port}/healthz`)).rejects.toThrow();
    expect(server.child.exitCode).toBeNull();

    socket.write(body.slice(10));
    await ended;
    expect(response).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(response).toContain('<Response><Say>Hello! This is Switchboard.');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(server.lines.map((line) => line.msg)).toContain('stopped');

    // The request's row was committed and the database closed cleanly (no WAL left to replay).
    expect(fs.existsSync(path.join(dir, 'sb.db-wal'))).toBe(false);
    const db = new Database(path.join(dir, 'sb.db'), { readonly: true });
    expect(db.prepare('SELECT sid, status FROM calls').all()).toEqual([{ sid: 'CA' + '7'.repeat(32), status: 'ringing' }]);
    db.close();
  });
});

describeNeeding(postgresPart())('WORKERS=2 over PostgreSQL', () => {
  let cluster: PostgresCluster;
  beforeAll(async () => {
    cluster = await startPostgres();
  }, 60_000);
  afterAll(() => cluster?.stop());

  let primary: LoggedProcess | undefined;
  afterEach(async () => {
    if (primary !== undefined && primary.child.exitCode === null && primary.child.signalCode === null) {
      primary.child.kill('SIGKILL');
      await primary.exited;
    }
    primary = undefined;
  });

  test('both workers serve signed and unsigned webhooks on one port, every call lands in PostgreSQL, and SIGTERM drains and exits 0', async () => {
    const url = await cluster.createDatabase();
    primary = spawnLogged(SERVER_ENTRY, { WORKERS: '2', DATABASE_URL: url, TWILIO_AUTH_TOKEN: TOKEN }, dir);
    const { port } = await primary.waitForLog('all workers listening', 30_000);
    const listening = await primary.waitForLogs('switchboard listening', 2);
    const workerPids = (await primary.waitForLogs('worker listening', 2)).map((line) => line.pid as number);
    expect(new Set(workerPids).size).toBe(2);
    // Each worker names the database as host:port/database, never with the password.
    const database = `127.0.0.1:${cluster.port}/${new URL(url).pathname.slice(1)}`;
    expect(listening.map((line) => ({ port: line.port, database: line.database }))).toEqual([
      { port, database },
      { port, database },
    ]);
    expect(JSON.stringify(primary.lines)).not.toContain(APP_PASSWORD);

    const voiceUrl = `http://127.0.0.1:${port}/voice`;
    const call = async (n: number, signed: boolean) => {
      const pairs: Array<[string, string]> = [['CallSid', callSid(n)], ['From', '+15550001111'], ['To', '+15550002222'], ['CallStatus', 'ringing']];
      // A new connection each time (no keep-alive), so that the primary hands them to both workers.
      const res = await fetch(voiceUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          connection: 'close',
          ...(signed && { 'x-twilio-signature': twilioSign(TOKEN, voiceUrl, pairs) }),
        },
        body: formBody(pairs),
      });
      return { status: res.status, body: await res.text() };
    };
    const signed = await Promise.all(Array.from({ length: 12 }, (_, i) => call(i + 1, true)));
    expect(signed.map((r) => r.status)).toEqual(Array(12).fill(200));
    for (const r of signed) expect(r.body).toContain('<Response><Say>Hello! This is Switchboard.');
    const unsigned = await Promise.all(Array.from({ length: 4 }, (_, i) => call(100 + i, false)));
    expect(unsigned).toEqual(Array(4).fill({ status: 403, body: 'missing X-Twilio-Signature header' }));

    // Every signed call is in the shared database once, and no unsigned one.
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT sid, from_number, to_number, status FROM calls ORDER BY sid');
      expect(rows).toEqual(Array.from({ length: 12 }, (_, i) => ({ sid: callSid(i + 1), from_number: '+15550001111', to_number: '+15550002222', status: 'ringing' })));
    } finally {
      await client.end();
    }

    primary.child.kill('SIGTERM');
    expect(await primary.exited).toEqual({ code: 0, signal: null });
    const stopped = primary.lines.filter((line) => line.msg === 'worker stopped').map(({ pid, code }) => ({ pid, code }));
    expect(stopped.sort((a, b) => (a.pid as number) - (b.pid as number))).toEqual(
      [...workerPids].sort((a, b) => a - b).map((pid) => ({ pid, code: 0 })),
    );
    expect(primary.stderr()).toBe('');
  }, 60_000);
});
