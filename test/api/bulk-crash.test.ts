// Kills the server (SIGKILL) in the middle of a bulk job while one request is in flight,
// restarts it on the same database, and checks from the fake Twilio's request log that no
// recipient got two requests and every recipient ends sent, failed or unknown; the database
// passes PRAGMA integrity_check both right after the kill and after the restart.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { until } from '../support/until';
import { startChildServer, type ChildServer } from '../support/child-server';
import { FAKE_ACCOUNT_SID, FAKE_AUTH_TOKEN, startFakeTwilio, type FakeTwilio } from '../support/fake-twilio';
import { API_KEY, AUTH, OUR_NUMBER } from './setup';

const RECIPIENTS = Array.from({ length: 30 }, (_, i) => `+1555020${String(i).padStart(4, '0')}`);

let dir: string;
let fake: FakeTwilio;
beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-crash-'));
  fake = await startFakeTwilio();
});
afterEach(async () => {
  await fake.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function env(): Record<string, string> {
  return {
    API_KEY,
    TWILIO_ACCOUNT_SID: FAKE_ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: FAKE_AUTH_TOKEN,
    TWILIO_API_BASE_URL: fake.baseUrl,
    TWILIO_FROM_NUMBER: OUR_NUMBER,
    MESSAGES_PER_SECOND: '40',
    DATABASE_PATH: 'sb.db',
    // The test polls the job every 10 ms: under the default 120 a minute it would be refused
    // with 429s whenever the job or the reconciler takes longer than about a second.
    API_RATE_LIMIT: '100000',
  };
}

function toOf(rawBody: string): string | null {
  return new URLSearchParams(rawBody).get('To');
}

async function jobState(server: ChildServer, id: string): Promise<{ state: string; counts: { unknown: number; sent: number } }> {
  const res = await fetch(`http://127.0.0.1:${server.port}/api/jobs/${id}`, { headers: { Authorization: AUTH } });
  if (res.status !== 200) throw new Error(`GET /api/jobs/${id} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as { state: string; counts: { unknown: number; sent: number } };
}

const INTERRUPTED = 'outbound request interrupted: outcome unknown, not resent';

test('SIGKILL mid-job, restart on the same database: nobody gets two messages, nobody is dropped', async () => {
  const first = await startChildServer(env(), dir);
  const res = await fetch(`http://127.0.0.1:${first.port}/api/messages/bulk`, {
    method: 'POST',
    headers: { Authorization: AUTH, 'Content-Type': 'application/json' },
    body: JSON.stringify({ to: RECIPIENTS, body: 'Flash sale' }),
  });
  expect(res.status).toBe(202);
  const { id } = (await res.json()) as { id: string };

  // Let some go through, then make the next request hang so the kill lands mid-request.
  await until('5 sends', () => fake.requests.length >= 5);
  fake.inject({ kind: 'hang' });
  await until('a hanging request', () => fake.requests.some((r) => r.fault === 'hang'));
  first.child.kill('SIGKILL');
  await first.exited;
  // The file the killed process left behind is a sound database (opening it replays the WAL).
  const killed = new Database(path.join(dir, 'sb.db'));
  expect(killed.pragma('integrity_check', { simple: true })).toBe('ok');
  killed.close();
  const hung = toOf(fake.requests.find((r) => r.fault === 'hang')?.rawBody ?? '');
  const beforeRestart = fake.requests.length;
  expect(beforeRestart).toBeLessThan(RECIPIENTS.length);

  const second = await startChildServer(env(), dir);
  try {
    // Several sends are in flight at once: besides the hung one, a send whose answer came back but
    // was not yet written when the process died is interrupted too. Each is reported, none resent.
    await second.waitForLog(INTERRUPTED);
    const reported = second.lines.filter((line) => line.msg === INTERRUPTED);
    expect(reported).toContainEqual(expect.objectContaining({ to: hung, jobId: id }));
    await until('the job to complete', async () => (await jobState(second, id)).state === 'completed');
    // The reconciler finds at Twilio the interrupted sends that it created, and only the hung one
    // (never created) stays unknown.
    await until('the reconciler to settle', async () => {
      const { counts } = await jobState(second, id);
      return counts.unknown === 1 && counts.sent === RECIPIENTS.length - 1;
    });
  } finally {
    second.child.kill('SIGTERM');
    await second.exited;
  }

  // The fake's log: every recipient asked for at most once.
  // (The restarted server also reads Twilio's message list to reconcile the unknown one: GETs.)
  const asked = fake.requests.filter((r) => r.method === 'POST').map((r) => toOf(r.rawBody));
  expect(new Set(asked).size).toBe(asked.length);
  expect(asked.sort()).toEqual([...RECIPIENTS].sort());

  // The outbox: every recipient ends sent, or unknown for the one in flight at the kill.
  const db = new Database(path.join(dir, 'sb.db'), { readonly: true });
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  const rows = db
    .prepare("SELECT json_extract(params, '$.to') AS \"to\", state, attempts, twilio_sid FROM outbound_requests WHERE job_id = ? ORDER BY rowid")
    .all(id) as Array<{ to: string; state: string; attempts: number; twilio_sid: string | null }>;
  db.close();
  expect(rows.map((r) => r.to)).toEqual(RECIPIENTS);
  for (const row of rows) {
    const request = fake.requests.find((r) => toOf(r.rawBody) === row.to);
    if (row.to === hung) {
      expect(row).toMatchObject({ state: 'unknown', attempts: 1, twilio_sid: null });
      expect(request?.status).toBeNull();
    } else {
      expect(row).toMatchObject({ state: 'sent', attempts: 1 });
      expect(request?.status).toBe(201);
      expect(fake.messages.has(row.twilio_sid ?? '')).toBe(true);
    }
  }
});
