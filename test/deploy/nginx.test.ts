// The shipped nginx site (deploy/nginx/switchboard.conf) in front of three real server processes:
// signatures still validate through the proxy, and losing an instance under load costs at most
// the requests that were in flight on it. Each instance has its own SQLite file here (so the test
// needs no PostgreSQL), which also shows that no request was ever handled by two instances.
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { startChildServer, type ChildServer } from '../support/child-server';
import { requestThroughNginx, selfSignedCertificate, siteFromShipped, startNginx, type NginxAnswer, type RunningNginx } from '../support/nginx';
import { describeNeeding, nginxPart } from '../support/system-parts';
import { closedPort } from '../support/twilio-client-harness';
import { formBody, twilioSign } from '../support/twilio-sign';

const TOKEN = '0123456789abcdef0123456789abcdef';
const GREETING = '<?xml version="1.0" encoding="UTF-8"?><Response><Say>Hello! This is Switchboard. Your server is up and answering calls. Goodbye.</Say></Response>';

type Answer = NginxAnswer;

const callSid = (n: number) => 'CA' + n.toString(16).padStart(32, '0');

describeNeeding(nginxPart())('nginx (deploy/nginx/switchboard.conf) in front of three instances', () => {
  let dir: string;
  let base: string;
  let port: number;
  let agent: https.Agent;
  let nginx: RunningNginx | undefined;
  const instances: ChildServer[] = [];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-nginx-'));
    const cert = selfSignedCertificate(dir);
    port = await closedPort();
    base = `https://127.0.0.1:${port}`;
    agent = new https.Agent({ keepAlive: true, maxSockets: 10, ca: cert.pem });
    for (let i = 0; i < 3; i++) {
      const env = { TWILIO_AUTH_TOKEN: TOKEN, TRUST_PROXY: 'true', PUBLIC_BASE_URL: base, DATABASE_PATH: `instance-${i}.db` };
      instances.push(await startChildServer(env, dir));
    }
    fs.mkdirSync(path.join(dir, 'nginx'));
    const site = siteFromShipped({
      upstreamPorts: instances.map((instance) => instance.port),
      listenPort: port,
      certificate: cert.certificate,
      certificateKey: cert.key,
    });
    nginx = await startNginx(path.join(dir, 'nginx'), site, port);
  });

  afterAll(async () => {
    agent?.destroy();
    await nginx?.stop();
    for (const instance of instances) {
      if (instance.child.exitCode === null && instance.child.signalCode === null) instance.child.kill('SIGTERM');
      await instance.exited;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const post = (urlPath: string, body: string, headers: Record<string, string>): Promise<Answer> =>
    requestThroughNginx(port, agent, 'POST', urlPath, body, { 'content-type': 'application/x-www-form-urlencoded', ...headers });

  function voiceCall(n: number, sign: { token?: string; url?: string } | false = {}): Promise<Answer> {
    const pairs: Array<[string, string]> = [
      ['CallSid', callSid(n)],
      ['From', '+15550001111'],
      ['To', '+15550002222'],
      ['CallStatus', 'ringing'],
    ];
    const headers: Record<string, string> =
      sign === false ? {} : { 'x-twilio-signature': twilioSign(sign.token ?? TOKEN, sign.url ?? `${base}/voice`, pairs) };
    return post('/voice', formBody(pairs), headers);
  }

  /** The call sids each instance's database holds. */
  function callsByInstance(): Array<Set<string>> {
    return instances.map((_, i) => {
      const db = new Database(path.join(dir, `instance-${i}.db`), { readonly: true });
      try {
        return new Set(db.prepare('SELECT sid FROM calls').pluck().all() as string[]);
      } finally {
        db.close();
      }
    });
  }

  test('signed webhooks validate through nginx, and each instance gets its turn', async () => {
    const answers: Answer[] = [];
    for (let n = 1; n <= 6; n++) answers.push(await voiceCall(n));
    expect(answers).toEqual(Array.from({ length: 6 }, () => ({ status: 200, body: GREETING })));
    const calls = callsByInstance();
    expect(calls.map((sids) => sids.size)).toEqual([2, 2, 2]);
    expect(new Set(calls.flatMap((sids) => [...sids]))).toEqual(new Set([1, 2, 3, 4, 5, 6].map(callSid)));
  });

  test('an unsigned or mis-signed webhook is refused with 403', async () => {
    expect(await voiceCall(7, false)).toEqual({ status: 403, body: 'missing X-Twilio-Signature header' });
    expect(await voiceCall(8, { token: 'f'.repeat(32) })).toEqual({ status: 403, body: 'invalid X-Twilio-Signature' });
    // Signed for an instance's own address rather than the public URL Twilio uses.
    expect(await voiceCall(9, { url: `http://127.0.0.1:${instances[0]?.port}/voice` })).toEqual({
      status: 403,
      body: 'invalid X-Twilio-Signature',
    });
  });

  test('an instance killed under load loses at most the requests in flight on it', async () => {
    const TOTAL = 300;
    const CONCURRENCY = 10;
    const KILL_AFTER = 100;
    const FIRST = 1000;
    const victim = instances[1] as ChildServer;
    const results: Array<Answer & { startedAfterKill: boolean }> = [];
    let next = 0;
    let finished = 0;
    let killed: Promise<void> | undefined;
    let dead = false;

    const lane = async () => {
      while (next < TOTAL) {
        // Once the kill is under way, start nothing new until the process is gone, so that every
        // request started from then on meets a dead instance, not a dying one.
        if (killed !== undefined) await killed;
        if (next >= TOTAL) return;
        const n = next++;
        const startedAfterKill = dead;
        results[n] = { ...(await voiceCall(FIRST + n)), startedAfterKill };
        if (++finished === KILL_AFTER) {
          victim.child.kill('SIGKILL');
          killed = victim.exited.then(() => {
            dead = true;
          });
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, lane));

    expect(results).toHaveLength(TOTAL);
    expect(await victim.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const failed = results.filter((result) => result.status !== 200);
    // A request that reached the instance is never retried elsewhere (no non_idempotent): 502.
    expect(failed.every((result) => result.status === 502 && !result.startedAfterKill)).toBe(true);
    expect(failed.length).toBeLessThanOrEqual(CONCURRENCY - 1);
    const after = results.filter((result) => result.startedAfterKill);
    expect(after.length).toBeGreaterThanOrEqual(TOTAL - KILL_AFTER - CONCURRENCY);
    expect(results.filter((result) => result.status === 200).every((result) => result.body === GREETING)).toBe(true);

    // Requests meeting the dead instance were refused at connect and retried on the others...
    expect(nginx?.errorLog()).toContain('(111: Connection refused) while connecting to upstream');
    // ...and no request was handled twice: each answered call is in exactly one database.
    const calls = callsByInstance();
    results.forEach((result, n) => {
      const holders = calls.filter((sids) => sids.has(callSid(FIRST + n))).length;
      if (result.status === 200) expect(holders).toBe(1);
      else expect(holders).toBeLessThanOrEqual(1);
      if (result.startedAfterKill) expect(calls[1]?.has(callSid(FIRST + n))).toBe(false);
    });
  });
});
