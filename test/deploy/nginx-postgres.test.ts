// Issue #15 on PostgreSQL: the shipped nginx site (deploy/nginx/switchboard.conf) in front of
// three real server processes sharing one database. Webhooks through nginx land in the one
// history; a bulk job sent through nginx survives its sender being SIGKILLed twice, each time
// mid-request: the lease passes on, no recipient is asked twice at the fake Twilio, and every
// recipient ends sent, or unknown only if its request was in flight on a killed sender.
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { PARALLEL_SENDS } from '../../src/outbox/bulk-runner';
import { startChildServer, type ChildServer } from '../support/child-server';
import { FAKE_ACCOUNT_SID, FAKE_AUTH_TOKEN, startFakeTwilio, type FakeTwilio } from '../support/fake-twilio';
import { requestThroughNginx, selfSignedCertificate, siteFromShipped, startNginx, type NginxAnswer, type RunningNginx } from '../support/nginx';
import { startPostgres, type PostgresCluster } from '../support/postgres';
import { describeNeeding, nginxPart, postgresPart, type SystemPart } from '../support/system-parts';
import { closedPort } from '../support/twilio-client-harness';
import { formBody, twilioSign } from '../support/twilio-sign';

const API_KEY = 'test-api-key-0123456789abcdef';
const OUR_NUMBER = '+15005550006';
const GREETING = '<?xml version="1.0" encoding="UTF-8"?><Response><Say>Hello! This is Switchboard. Your server is up and answering calls. Goodbye.</Say></Response>';
const RECIPIENTS = Array.from({ length: 300 }, (_, i) => `+1555030${String(i).padStart(4, '0')}`);
const TOOK_LEASE = 'took the bulk sender lease';
const MESSAGES_PATH = `/2010-04-01/Accounts/${FAKE_ACCOUNT_SID}/Messages.json`;

const callSid = (n: number) => 'CA' + n.toString(16).padStart(32, '0');

/** Both parts, as one: the suite is skipped with one line naming whichever is missing (or fails with CI=true). */
function nginxAndPostgres(): SystemPart {
  const parts = [nginxPart(), postgresPart()];
  const missing = parts.filter((part) => part.found === undefined);
  if (missing.length === 0) return { name: 'nginx and PostgreSQL', found: parts.map((part) => part.found).join(', '), install: '' };
  return { name: missing.map((part) => part.name).join(' and '), found: undefined, install: `apt-get install -y ${missing.map((part) => part.install.split(' ').pop() ?? '').join(' ')}` };
}

/** Polls `check` every 50 ms until it holds; fails naming `what` after `ms` (generous: a loaded 2-core machine). */
async function waitFor(what: string, check: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

type Answer = NginxAnswer;

interface JobProgress {
  state: string;
  counts: { queued: number; inFlight: number; sent: number; failed: number; unknown: number; notSent: number };
}

describeNeeding(nginxAndPostgres())('nginx in front of three instances on one PostgreSQL database', () => {
  let dir: string;
  let base: string;
  let port: number;
  let agent: https.Agent;
  let cluster: PostgresCluster | undefined;
  let databaseUrl: string;
  let fake: FakeTwilio | undefined;
  let nginx: RunningNginx | undefined;
  let instances: ChildServer[] = [];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-nginx-pg-'));
    cluster = await startPostgres();
    databaseUrl = await cluster.createDatabase();
    fake = await startFakeTwilio();
    const cert = selfSignedCertificate(dir);
    port = await closedPort();
    base = `https://127.0.0.1:${port}`;
    agent = new https.Agent({ keepAlive: true, maxSockets: 10, ca: cert.pem });
    const env = {
      DATABASE_URL: databaseUrl,
      TRUST_PROXY: 'true',
      PUBLIC_BASE_URL: base,
      API_KEY,
      TWILIO_ACCOUNT_SID: FAKE_ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: FAKE_AUTH_TOKEN,
      TWILIO_API_BASE_URL: fake.baseUrl,
      TWILIO_FROM_NUMBER: OUR_NUMBER,
      MESSAGES_PER_SECOND: '50',
      // Unknown outcomes are looked up at the fake every second rather than every minute.
      RECONCILE_INTERVAL_S: '1',
      // The test polls the API every 50 ms while the job runs: under the default 120 a minute it
      // was refused with 429s until the minute turned, and timed out when that came late.
      API_RATE_LIMIT: '100000',
    };
    // All three at the same moment on an empty database: migrations must run once, under their lock.
    instances = await Promise.all([0, 1, 2].map(() => startChildServer(env, dir)));
    fs.mkdirSync(path.join(dir, 'nginx'));
    const site = siteFromShipped({
      upstreamPorts: instances.map((instance) => instance.port),
      listenPort: port,
      certificate: cert.certificate,
      certificateKey: cert.key,
    });
    nginx = await startNginx(path.join(dir, 'nginx'), site, port);
  }, 60_000);

  afterAll(async () => {
    agent?.destroy();
    await nginx?.stop();
    for (const instance of instances) {
      if (instance.child.exitCode === null && instance.child.signalCode === null) instance.child.kill('SIGTERM');
      await instance.exited;
    }
    await fake?.close();
    await cluster?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  const request = (method: 'GET' | 'POST', urlPath: string, body: string, headers: Record<string, string>): Promise<Answer> =>
    requestThroughNginx(port, agent, method, urlPath, body, headers);

  const api = (method: 'GET' | 'POST', urlPath: string, json?: unknown) =>
    request(method, urlPath, json === undefined ? '' : JSON.stringify(json), {
      authorization: `Bearer ${API_KEY}`,
      ...(json !== undefined && { 'content-type': 'application/json' }),
    });

  async function query<T extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<T[]> {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      return (await client.query<T>(sql, values)).rows;
    } finally {
      await client.end();
    }
  }

  const alive = (instance: ChildServer) => instance.child.exitCode === null && instance.child.signalCode === null;
  const holders = () => instances.filter((instance) => alive(instance) && instance.lines.some((line) => line.msg === TOOK_LEASE));
  const posts = () => (fake as FakeTwilio).requests.filter((r) => r.method === 'POST' && r.path === MESSAGES_PATH);
  const toOf = (rawBody: string) => new URLSearchParams(rawBody).get('To');

  test('all three start at once on the empty database; exactly one takes the bulk sender lease', async () => {
    expect(instances.map(alive)).toEqual([true, true, true]);
    await waitFor('a bulk sender', () => holders().length === 1);
    // The others keep asking but never get it while the holder lives.
    expect(holders()).toHaveLength(1);
  });

  test('signed webhooks through nginx reach every instance and land in the one history', async () => {
    for (let n = 1; n <= 6; n++) {
      const pairs: Array<[string, string]> = [
        ['CallSid', callSid(n)],
        ['From', '+15550001111'],
        ['To', '+15550002222'],
        ['CallStatus', 'ringing'],
      ];
      const answer = await request('POST', '/voice', formBody(pairs), {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilioSign(FAKE_AUTH_TOKEN, `${base}/voice`, pairs),
      });
      expect(answer).toEqual({ status: 200, body: GREETING });
    }
    // Round robin: each instance answered two of them (its own request log says so, once the
    // response has closed, which may be just after the client has read it)...
    const answered = () =>
      instances.map((instance) => instance.lines.filter((line) => line.msg === 'request completed' && JSON.stringify(line).includes('/voice')).length);
    await waitFor('six request log lines', () => answered().reduce((a, b) => a + b, 0) === 6);
    expect(answered()).toEqual([2, 2, 2]);
    // ...and any instance lists all six.
    const listing = await api('GET', '/api/calls?limit=50');
    expect(listing.status).toBe(200);
    const sids = ((JSON.parse(listing.body) as { calls: Array<{ sid: string }> }).calls).map((call) => call.sid);
    expect(new Set(sids)).toEqual(new Set([1, 2, 3, 4, 5, 6].map(callSid)));
  });

  test('a bulk job survives two senders SIGKILLed mid-request: nobody asked twice, nobody lost', async () => {
    const f = fake as FakeTwilio;
    const submitted = await api('POST', '/api/messages/bulk', { to: RECIPIENTS, body: 'Flash sale' });
    expect(submitted.status).toBe(202);
    const { id } = JSON.parse(submitted.body) as { id: string };

    const hung: string[] = [];
    const killed: ChildServer[] = [];
    for (let round = 0; round < 2; round++) {
      // The sender now: the one live instance that has taken the lease.
      await waitFor(`sender ${round + 1}`, () => holders().length === 1);
      const sender = holders()[0] as ChildServer;
      // Some sends from this sender first, then the next request hangs so the kill lands mid-request.
      const before = posts().length;
      await waitFor(`sends by sender ${round + 1}`, () => posts().length >= before + 30);
      f.inject({ kind: 'hang', match: { method: 'POST', path: 'Messages.json' } });
      await waitFor('a hanging request', () => posts().filter((r) => r.fault === 'hang').length === round + 1);
      sender.child.kill('SIGKILL');
      expect(await sender.exited).toEqual({ code: null, signal: 'SIGKILL' });
      killed.push(sender);
      hung.push(toOf(posts().filter((r) => r.fault === 'hang')[round]?.rawBody ?? '') ?? '');
      expect(posts().length).toBeLessThan(RECIPIENTS.length);
    }
    const survivor = instances.find(alive) as ChildServer;
    expect(instances.filter(alive)).toEqual([survivor]);

    // The third instance takes over and finishes the job (GET through nginx: the dead upstreams
    // refuse connections and nginx passes the request on).
    let progress: JobProgress | undefined;
    await waitFor(
      'the job to complete',
      async () => {
        const answer = await api('GET', `/api/jobs/${id}`);
        if (answer.status !== 200) return false;
        progress = JSON.parse(answer.body) as JobProgress;
        return progress.state === 'completed';
      },
      40_000,
    );
    expect(survivor.lines.some((line) => line.msg === TOOK_LEASE)).toBe(true);

    // The fake's log: every recipient asked at most once, and nobody asked after the job ended.
    const asked = posts().map((r) => toOf(r.rawBody) ?? '');
    expect(new Set(asked).size).toBe(asked.length);
    const answeredOk = new Map(posts().filter((r) => r.status === 201).map((r) => [toOf(r.rawBody) ?? '', r]));
    // Only the two hung requests went unanswered (a killed process's answered requests are still answered).
    expect(posts().filter((r) => r.status !== 201).map((r) => toOf(r.rawBody))).toEqual(hung);

    // The reconciler looks up the unknown rows whose request Twilio did answer; those become sent.
    // What stays unknown is exactly what Twilio never created: the hung ones, and any row marked in
    // flight whose request had not left the killed process.
    const expectedSent = answeredOk.size;
    await waitFor('the reconciler to settle', async () => {
      const rows = await query<{ state: string; n: string }>(
        'SELECT state, count(*) AS n FROM outbound_requests WHERE job_id = $1 GROUP BY state',
        [id],
      );
      return rows.find((row) => row.state === 'sent')?.n === String(expectedSent);
    });
    const counts = await query<{ state: string; n: string }>(
      'SELECT state, count(*)::text AS n FROM outbound_requests WHERE job_id = $1 GROUP BY state ORDER BY state',
      [id],
    );
    const unknown = RECIPIENTS.length - expectedSent;
    expect(counts).toEqual([
      { state: 'sent', n: String(expectedSent) },
      { state: 'unknown', n: String(unknown) },
    ]);
    // At least the hung one on each killed sender; at most what a sender keeps in flight (a send
    // is in flight until its outcome is written: up to 2 * PARALLEL_SENDS) on each.
    expect(unknown).toBeGreaterThanOrEqual(2);
    expect(unknown).toBeLessThanOrEqual(2 * 2 * PARALLEL_SENDS);

    const rows = await query<{ to: string; state: string; attempts: number; twilio_sid: string | null }>(
      `SELECT params::json ->> 'to' AS "to", state, attempts, twilio_sid FROM outbound_requests WHERE job_id = $1 ORDER BY seq`,
      [id],
    );
    expect(rows.map((row) => row.to)).toEqual(RECIPIENTS);
    for (const row of rows) {
      const request = answeredOk.get(row.to);
      if (request !== undefined) {
        // Sent: by the sender itself, or found at the fake by the reconciler after a kill.
        expect(row).toMatchObject({ state: 'sent', attempts: 1 });
        expect(f.messages.has(row.twilio_sid ?? '')).toBe(true);
      } else {
        // Unknown: hung at the fake, or never reached it; not resent either way.
        expect(row).toMatchObject({ state: 'unknown', attempts: 1, twilio_sid: null });
      }
    }
    for (const to of hung) expect(rows.find((row) => row.to === to)?.state).toBe('unknown');
    // The job's own answer agrees with the table.
    expect(progress?.counts).toMatchObject({ queued: 0, inFlight: 0, failed: 0 });
  }, 90_000);
});
