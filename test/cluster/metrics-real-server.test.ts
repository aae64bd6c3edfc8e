// /metrics on the built server with WORKERS=2 over PostgreSQL, scraped as Prometheus scrapes it:
// a new connection each time, so that successive scrapes reach different workers. Each must show
// the whole server's counts, exactly, and never fewer than the scrape before; also while a worker
// hangs (SIGSTOP) and after one is killed and replaced.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { SERVER_ENTRY, spawnLogged, type LoggedProcess } from '../support/child-server';
import { startPostgres, type PostgresCluster } from '../support/postgres';
import { describeNeeding, postgresPart } from '../support/system-parts';
import { formBody, twilioSign } from '../support/twilio-sign';
import { until } from '../support/until';

const AUTH_TOKEN = 'cluster-metrics-auth-token-0123456789';
const METRICS_TOKEN = 'cluster-metrics-scrape-token-0123456789';
const PUBLIC = 'https://sb.example.com';
const OK = 'switchboard_webhooks_total{route="/voice",outcome="ok"}';
const REJECTED = 'switchboard_webhooks_total{route="/voice",outcome="rejected"}';
const VOICE_COUNT = 'switchboard_http_request_duration_seconds_count{route="/voice"}';

/** The value of one series, or undefined when the scrape does not have it. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describeNeeding(postgresPart())('WORKERS=2: /metrics answers for the whole server', () => {
  let postgres: PostgresCluster;
  let dir: string;
  let server: LoggedProcess;
  let port: number;
  /** Worker pid by slot (the `worker` label), as the primary logs them. */
  const pids = new Map<number, number>();
  let sent = 0;
  let forged = 0;
  let lastTotal = 0;

  beforeAll(async () => {
    postgres = await startPostgres();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-cluster-metrics-'));
    const url = await postgres.createDatabase();
    server = spawnLogged(SERVER_ENTRY, { WORKERS: '2', DATABASE_URL: url, TWILIO_AUTH_TOKEN: AUTH_TOKEN, PUBLIC_BASE_URL: PUBLIC, METRICS_TOKEN }, dir);
    port = (await server.waitForLog('all workers listening', 30_000)).port as number;
    for (const line of await server.waitForLogs('worker listening', 2)) pids.set(line.worker as number, line.pid as number);
    // Three outbox rows whose outcome is unknown: the gauge reads them from the shared database.
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      for (const id of ['r1', 'r2', 'r3']) {
        await client.query(`INSERT INTO outbound_requests (id, kind, params, state, created_at, updated_at) VALUES ($1, 'message', '{}', 'unknown', $2, $2)`, [
          id,
          '2026-01-02T03:04:05.000Z',
        ]);
      }
    } finally {
      await client.end();
    }
  }, 60_000);

  afterAll(async () => {
    if (server !== undefined && server.child.exitCode === null && server.child.signalCode === null) {
      // A worker left stopped by a failed test would hold the drain up.
      for (const pid of pids.values()) {
        try {
          process.kill(pid, 'SIGCONT');
        } catch {
          // already gone
        }
      }
      server.child.kill('SIGTERM');
      await server.exited;
    }
    await postgres?.stop();
    if (dir !== undefined) fs.rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  /** Signed /voice webhooks (and forged ones), four at a time, each on a new connection. */
  async function webhooks(count: number, signed = true): Promise<void> {
    const voiceUrl = `http://127.0.0.1:${port}/voice`;
    const one = async (n: number) => {
      const pairs: Array<[string, string]> = [['CallSid', 'CA' + n.toString(16).padStart(32, '0')], ['From', '+15550001111'], ['To', '+15550002222']];
      const res = await fetch(voiceUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          connection: 'close',
          'x-twilio-signature': signed ? twilioSign(AUTH_TOKEN, `${PUBLIC}/voice`, pairs) : 'forged',
        },
        body: formBody(pairs),
      });
      await res.arrayBuffer();
      return res.status;
    };
    for (let done = 0; done < count; done += 4) {
      const batch = Array.from({ length: Math.min(4, count - done) }, (_, i) => one(sent + forged + done + i + 1));
      expect(await Promise.all(batch)).toEqual(Array(batch.length).fill(signed ? 200 : 403));
    }
    if (signed) sent += count;
    else forged += count;
  }

  /**
   * One scrape on a new connection. A connection handed to a stopped worker is never answered:
   * after `patienceMs` it is given up and the scrape tried again (the next goes to another worker).
   */
  async function scrape(patienceMs = 10_000): Promise<string> {
    for (;;) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/metrics`, {
          headers: { authorization: `Bearer ${METRICS_TOKEN}`, connection: 'close' },
          signal: AbortSignal.timeout(patienceMs),
        });
        const text = await res.text();
        expect({ status: res.status, type: res.headers.get('content-type') }).toEqual({ status: 200, type: 'text/plain; version=0.0.4; charset=utf-8' });
        return text;
      } catch (err) {
        if ((err as Error).name !== 'TimeoutError') throw err;
      }
    }
  }

  /** The webhook total of a scrape: exactly what was sent, and never below the previous scrape's. */
  function expectTotals(text: string): void {
    const total = sample(text, OK);
    expect(total).toBe(sent);
    expect(total).toBeGreaterThanOrEqual(lastTotal);
    lastTotal = total ?? 0;
    expect(sample(text, REJECTED)).toBe(forged);
    expect(sample(text, VOICE_COUNT)).toBe(sent + forged);
    // Read once from the database, not once per worker.
    expect(sample(text, 'switchboard_outbox_rows{state="unknown"}')).toBe(3);
    // One family each: no name is exposed twice.
    const types = text.split('\n').filter((line) => line.startsWith('# TYPE '));
    expect(new Set(types).size).toBe(types.length);
  }

  /** The pids that wrote a request line for `path`. */
  const servedBy = (requestPath: string) =>
    new Set(server.lines.filter((line) => line.msg === 'request completed' && (line.req as { path?: string } | undefined)?.path === requestPath).map((line) => line.pid));

  test('webhooks spread over both workers; every scrape, whichever worker takes it, shows their exact total', async () => {
    await webhooks(40);
    await webhooks(4, false);
    await server.waitForLogs('request completed', 44);
    // Both workers served webhooks: a single worker's counters would show a part of them.
    expect(servedBy('/voice')).toEqual(new Set(pids.values()));

    for (let i = 0; i < 8; i++) {
      if (i % 2 === 1) await webhooks(4);
      const text = await scrape();
      expectTotals(text);
      expect(sample(text, 'switchboard_cluster_workers')).toBe(2);
      expect(sample(text, 'switchboard_cluster_workers_scraped')).toBe(2);
      // Each process's own metrics, apart.
      expect(sample(text, 'process_resident_memory_bytes{worker="0"}')).toBeGreaterThan(0);
      expect(sample(text, 'process_resident_memory_bytes{worker="1"}')).toBeGreaterThan(0);
      expect(text).not.toMatch(/^process_resident_memory_bytes /m);
    }
    await server.waitForLogs('request completed', 44 + 16 + 8);
    expect(servedBy('/metrics')).toEqual(new Set(pids.values()));
  }, 60_000);

  test("a hung worker: scrapes answer from the other within the timeout, with the hung one's last counts", async () => {
    // Its counts as of its last answer: the scrape before, which had every webhook.
    const hung = pids.get(1) as number;
    process.kill(hung, 'SIGSTOP');
    try {
      for (let i = 0; i < 3; i++) {
        const started = performance.now();
        const text = await scrape(4000);
        expect(performance.now() - started).toBeGreaterThanOrEqual(1400);
        expectTotals(text);
        expect(sample(text, 'switchboard_cluster_workers')).toBe(2);
        expect(sample(text, 'switchboard_cluster_workers_scraped')).toBe(1);
        expect(sample(text, 'process_resident_memory_bytes{worker="0"}')).toBeGreaterThan(0);
        expect(sample(text, 'process_resident_memory_bytes{worker="1"}')).toBeUndefined();
      }
    } finally {
      process.kill(hung, 'SIGCONT');
    }
    // Back: answered in full again.
    let text = await scrape();
    for (let i = 0; sample(text, 'switchboard_cluster_workers_scraped') !== 2 && i < 10; i++) text = await scrape();
    expectTotals(text);
    expect(sample(text, 'switchboard_cluster_workers_scraped')).toBe(2);
  }, 60_000);

  test("the database down: the scrape fails as a single process's does (500, Prometheus: up == 0), and the totals are whole once it is back", async () => {
    postgres.stopServer();
    try {
      // The API's rate limit, which /metrics shares, is counted in the database: it refuses first.
      const res = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}`, connection: 'close' } });
      expect({ status: res.status, message: ((await res.json()) as { error: { message: string } }).error.message }).toEqual({ status: 500, message: 'internal error' });
    } finally {
      postgres.startServer();
    }
    const text = await scrape();
    expectTotals(text);
    expect(sample(text, 'switchboard_cluster_workers_scraped')).toBe(2);
  }, 60_000);

  test('a worker killed and replaced: the totals never drop, and the replacement counts on top', async () => {
    // Its webhooks were in the last scrape: that answer is what it leaves behind.
    expectTotals(await scrape());
    const killed = pids.get(1) as number;
    process.kill(killed, 'SIGKILL');
    const replaced = await server.waitForLog('worker exited unexpectedly; restarting');
    expect({ worker: replaced.worker, pid: replaced.pid, signal: replaced.signal }).toEqual({ worker: 1, pid: killed, signal: 'SIGKILL' });

    // Whether or not the replacement listens yet (it starts 0.5 s after), the total holds.
    const between = await scrape();
    expectTotals(between);
    expect(sample(between, 'switchboard_cluster_workers_scraped')).toBe(sample(between, 'switchboard_cluster_workers'));

    const listening = await server.waitForLogs('worker listening', 3, 30_000);
    const replacement = listening[2]?.pid as number;
    expect(listening[2]?.worker).toBe(1);
    pids.set(1, replacement);
    await webhooks(20);
    await until('a request line of the replacement', () => servedBy('/voice').has(replacement));
    for (let i = 0; i < 6; i++) {
      const text = await scrape();
      expectTotals(text);
      expect(sample(text, 'switchboard_cluster_workers')).toBe(2);
      expect(sample(text, 'switchboard_cluster_workers_scraped')).toBe(2);
    }

    server.child.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(server.stderr()).toBe('');
  }, 90_000);
});
