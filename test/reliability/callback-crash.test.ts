// SIGKILL while the server is taking a stream of signed status callbacks. Every callback that got
// a 2xx must be in status_events after the crash, the file must pass integrity_check, and when
// Twilio retries the rest against the restarted server each event ends up stored exactly once.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { startChildServer, type ChildServer } from '../support/child-server';
import { formBody, twilioSign } from '../support/twilio-sign';

const AUTH_TOKEN = 'crash-auth-token-0a1b2c3d4e5f6071';
const TOTAL = 1500;
const CONCURRENCY = 16;
const KILL_AFTER = 400;

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-callback-crash-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function start(): Promise<ChildServer> {
  return startChildServer({ TWILIO_AUTH_TOKEN: AUTH_TOKEN, DATABASE_PATH: 'sb.db' }, dir);
}

/** The i-th callback: its own call, so each one is one row. */
function callback(i: number): Array<[string, string]> {
  return [
    ['AccountSid', 'AC' + '0'.repeat(32)],
    ['CallSid', `CA${i.toString(16).padStart(32, '0')}`],
    ['CallStatus', 'completed'],
    ['Direction', 'outbound-api'],
    ['From', '+15550001111'],
    ['To', '+15550002222'],
    ['SequenceNumber', '3'],
    ['CallDuration', String(i % 300)],
  ];
}

/** Posts a callback as Twilio would; resolves with the status, or 0 when the connection died. */
async function deliver(server: ChildServer, i: number): Promise<number> {
  const url = `http://127.0.0.1:${server.port}/status/call`;
  const pairs = callback(i);
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Twilio-Signature': twilioSign(AUTH_TOKEN, url, pairs) },
      body: formBody(pairs),
    });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

function storedSids(): Set<string> {
  const db = new Database(path.join(dir, 'sb.db'));
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const rows = db.prepare("SELECT sid FROM status_events WHERE resource = 'call'").all() as Array<{ sid: string }>;
    expect(new Set(rows.map((row) => row.sid)).size).toBe(rows.length);
    return new Set(rows.map((row) => row.sid));
  } finally {
    db.close();
  }
}

test('SIGKILL mid-stream: every acknowledged callback is stored, the file is sound, retries store the rest once', async () => {
  const first = await start();
  const acknowledged = new Set<number>();
  let next = 0;
  let killed = false;
  const worker = async () => {
    while (next < TOTAL) {
      const i = next++;
      const status = await deliver(first, i);
      if (status >= 200 && status < 300) acknowledged.add(i);
      if (!killed && acknowledged.size >= KILL_AFTER) {
        killed = true;
        first.child.kill('SIGKILL');
      }
      if (status === 0 && killed) return;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  await first.exited;
  expect(killed).toBe(true);
  // The kill landed mid-stream: some callbacks were never acknowledged.
  expect(acknowledged.size).toBeGreaterThanOrEqual(KILL_AFTER);
  expect(acknowledged.size).toBeLessThan(TOTAL);

  const sidOf = (i: number) => `CA${i.toString(16).padStart(32, '0')}`;
  const afterKill = storedSids();
  const lost = [...acknowledged].filter((i) => !afterKill.has(sidOf(i)));
  expect(lost).toEqual([]);

  // Twilio retries whatever it did not get a 2xx for; duplicates of stored ones are harmless.
  const second = await start();
  try {
    for (let i = 0; i < TOTAL; i++) {
      if (acknowledged.has(i)) continue;
      expect([i, await deliver(second, i)]).toEqual([i, 204]);
    }
    // A redelivery of an acknowledged one too: still one row.
    expect(await deliver(second, [...acknowledged][0] ?? 0)).toBe(204);
  } finally {
    second.child.kill('SIGTERM');
    await second.exited;
  }
  const final = storedSids();
  expect(final.size).toBe(TOTAL);
});
