// The real server (dist/, `npm run build`) over PostgreSQL: start-up failures are one line that
// names host:port/database and never the password, and /readyz follows the server's availability.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { runFailingServer, startChildServer } from '../support/child-server';
import { APP_PASSWORD, startPostgres, type PostgresCluster } from '../support/postgres';
import { describeNeeding, postgresPart } from '../support/system-parts';

describeNeeding(postgresPart())('the server over PostgreSQL', () => {
  let cluster: PostgresCluster;
  let dir: string;
  beforeAll(async () => {
    cluster = await startPostgres();
  }, 60_000);
  afterAll(() => cluster?.stop());
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-pg-server-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const databaseOf = (url: string) => new URL(url).pathname.slice(1);

  test('a wrong password stops start-up with one line naming host:port and database', async () => {
    const url = new URL(await cluster.createDatabase());
    url.password = 'wrong-password';
    const result = await runFailingServer({ DATABASE_URL: url.href }, dir);
    expect({ code: result.code, stderr: result.stderr }).toEqual({
      code: 1,
      stderr: `switchboard: database error: cannot open PostgreSQL database 127.0.0.1:${cluster.port}/${databaseOf(url.href)}: password authentication failed for user "switchboard"\n`,
    });
  });

  test('an unknown database stops start-up with one line', async () => {
    const url = new URL(await cluster.createDatabase());
    url.pathname = '/no_such_db';
    const result = await runFailingServer({ DATABASE_URL: url.href }, dir);
    expect({ code: result.code, stderr: result.stderr }).toEqual({
      code: 1,
      stderr: `switchboard: database error: cannot open PostgreSQL database 127.0.0.1:${cluster.port}/no_such_db: database "no_such_db" does not exist\n`,
    });
  });

  test('an unreachable server stops start-up with one line', async () => {
    const port = await closedPort();
    const result = await runFailingServer({ DATABASE_URL: `postgres://switchboard:${APP_PASSWORD}@127.0.0.1:${port}/app` }, dir);
    expect({ code: result.code, stderr: result.stderr }).toEqual({
      code: 1,
      stderr: `switchboard: database error: cannot open PostgreSQL database 127.0.0.1:${port}/app: connect ECONNREFUSED 127.0.0.1:${port}\n`,
    });
  });

  test('a malformed DATABASE_URL stops start-up with one line, without the password', async () => {
    const result = await runFailingServer({ DATABASE_URL: `postgres://switchboard:${APP_PASSWORD}@127.0.0.1:70000/app` }, dir);
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: 'switchboard: configuration error: DATABASE_URL must be a URL such as postgres://user:password@host:5432/database\n',
    });
  });

  test('starts on PostgreSQL, stores webhooks there, and /readyz answers 503 while the server is down', async () => {
    const url = await cluster.createDatabase();
    const server = await startChildServer({ DATABASE_URL: url, DATABASE_POOL_SIZE: '3' }, dir);
    const base = `http://127.0.0.1:${server.port}`;
    try {
      const listening = await server.waitForLog('switchboard listening');
      expect(listening.database).toBe(`127.0.0.1:${cluster.port}/${databaseOf(url)}`);
      const voice = await fetch(`${base}/voice`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `CallSid=CA${'5'.repeat(32)}&From=%2B15550001111&To=%2B15550002222&CallStatus=ringing`,
      });
      expect(voice.status).toBe(200);
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const { rows } = await client.query('SELECT sid, status FROM calls');
      await client.end();
      expect(rows).toEqual([{ sid: `CA${'5'.repeat(32)}`, status: 'ringing' }]);
      // SQLite is not used: no file was created.
      expect(fs.existsSync(path.join(dir, 'data'))).toBe(false);

      const ready = await fetch(`${base}/readyz`);
      expect([ready.status, await ready.json()]).toEqual([200, { status: 'ok', database: 'ok' }]);

      cluster.stopServer();
      const down = await fetch(`${base}/readyz`);
      expect([down.status, await down.json()]).toEqual([503, { status: 'unavailable', database: 'unreachable' }]);

      cluster.startServer();
      const again = await fetch(`${base}/readyz`);
      expect(again.status).toBe(200);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    expect(JSON.stringify(server.lines)).not.toContain(APP_PASSWORD);
    expect(server.stderr()).not.toContain(APP_PASSWORD);
    expect(fs.existsSync(path.join(dir, 'data'))).toBe(false);
  });
});

/** A loopback port nothing listens on. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
