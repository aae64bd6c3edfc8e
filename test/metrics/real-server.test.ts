// /metrics on the built server as a user runs it: the counters move with signed traffic, the
// token guards them, and what a scrape shows is bounded whatever the callers.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startChildServer, type ChildServer } from '../support/child-server';
import { formBody, twilioSign } from '../support/twilio-sign';

const AUTH_TOKEN = 'metrics-e2e-auth-token-0123456789';
const METRICS_TOKEN = 'metrics-e2e-scrape-token-0123456789';
const PUBLIC = 'https://sb.example.com';

let dir: string;
let server: ChildServer;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-metrics-'));
  server = await startChildServer(
    { TWILIO_AUTH_TOKEN: AUTH_TOKEN, PUBLIC_BASE_URL: PUBLIC, METRICS_TOKEN, API_KEY: 'metrics-e2e-api-key-0123456789', DATABASE_PATH: path.join(dir, 'sb.db') },
    dir,
  );
});
afterAll(async () => {
  server.child.kill('SIGTERM');
  await server.exited;
  fs.rmSync(dir, { recursive: true, force: true });
});

async function voice(callSid: string, from: string, signed = true): Promise<number> {
  const pairs: Array<[string, string]> = [['CallSid', callSid], ['From', from], ['To', '+15550002222']];
  const res = await fetch(`http://127.0.0.1:${server.port}/voice`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': signed ? twilioSign(AUTH_TOKEN, `${PUBLIC}/voice`, pairs) : 'forged',
    },
    body: formBody(pairs),
  });
  await res.arrayBuffer();
  return res.status;
}

async function scrape(token = METRICS_TOKEN): Promise<{ status: number; text: string }> {
  const res = await fetch(`http://127.0.0.1:${server.port}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, text: await res.text() };
}

const sample = (text: string, series: string): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

const OK = 'switchboard_webhooks_total{route="/voice",outcome="ok"}';
const REJECTED = 'switchboard_webhooks_total{route="/voice",outcome="rejected"}';

test('the counters move with signed and forged webhooks; series stay the same for new callers', async () => {
  const before = await scrape();
  expect(before.status).toBe(200);
  // A route's series appear with its first request.
  expect(sample(before.text, OK)).toBeUndefined();

  for (let i = 0; i < 20; i++) expect(await voice(`CA${String(i).padStart(32, '0')}`, `+1555000${String(i).padStart(4, '0')}`)).toBe(200);
  expect(await voice(`CA${'f'.repeat(32)}`, '+15559999999', false)).toBe(403);

  const after = await scrape();
  expect(sample(after.text, OK)).toBe(20);
  expect(sample(after.text, REJECTED)).toBe(1);
  expect(sample(after.text, 'switchboard_http_request_duration_seconds_count{route="/voice"}')).toBe(21);
  expect(after.text).toMatch(/^process_resident_memory_bytes \d+/m);
  // No caller number or call SID ever becomes a label.
  expect(after.text).not.toMatch(/\+1555|CA0000/);

  // Ours; Node's active handles and requests come and go with whatever I/O is open at the scrape.
  const seriesOf = (text: string) => text.split('\n').filter((l) => l.startsWith('switchboard_')).map((l) => l.replace(/ [^ ]+$/, ''));
  for (let i = 20; i < 60; i++) await voice(`CA${String(i).padStart(32, '0')}`, `+1555000${String(i).padStart(4, '0')}`);
  expect(seriesOf((await scrape()).text)).toEqual(seriesOf(after.text));
});

test('a wrong token gets 401 and no metrics', async () => {
  const wrong = await scrape('not-the-token-0123456789');
  expect(wrong.status).toBe(401);
  expect(wrong.text).not.toContain('switchboard_');
});
