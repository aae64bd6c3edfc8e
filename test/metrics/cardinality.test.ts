import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMetrics } from '../../src/metrics';
import { buildTestApp, type TestApp } from '../support/app';
import { formBody } from '../support/twilio-sign';
import { METRICS_TOKEN, sampleLines, scrape } from './support';

let t: TestApp;
let server: http.Server;
let agent: http.Agent;

beforeAll(async () => {
  // No auth token: signatures are not checked in tests, so each webhook is a plain POST.
  t = buildTestApp({ METRICS_TOKEN }, undefined, { metrics: createMetrics() });
  server = t.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
});

afterAll(async () => {
  agent.destroy();
  await new Promise((resolve) => server.close(resolve));
  await t.close();
});

function post(path: string, pairs: Array<[string, string]>): Promise<number> {
  const body = formBody(pairs);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: (server.address() as AddressInfo).port,
        path,
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Webhooks from `count` distinct callers, each with its own number and SIDs, on every kind of route. */
async function distinctCallers(from: number, count: number): Promise<void> {
  const one = (i: number) => {
    const caller = `+1555${String(i).padStart(7, '0')}`;
    const hex = i.toString(16).padStart(32, '0');
    switch (i % 4) {
      case 0:
        return post('/voice', [['CallSid', `CA${hex}`], ['From', caller], ['To', '+15550009999']]);
      case 1:
        return post(`/voice/node/step-${i}`, [['CallSid', `CA${hex}`], ['From', caller], ['To', '+15550009999']]);
      case 2:
        return post('/sms', [['MessageSid', `SM${hex}`], ['From', caller], ['To', '+15550009999'], ['Body', `hello ${i}`]]);
      default:
        return post('/status/call', [['CallSid', `CA${hex}`], ['CallStatus', 'completed'], ['From', caller], ['SequenceNumber', '0']]);
    }
  };
  // 64 at a time, a bounded number in all.
  for (let start = from; start < from + count; start += 64) {
    const statuses = await Promise.all(Array.from({ length: Math.min(64, from + count - start) }, (_, k) => one(start + k)));
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
  }
}

test('the number of series stays flat from 100 to 10,000 distinct callers', async () => {
  // A first scrape, so that /metrics's own series exist in both counts.
  await scrape(t.app);
  await distinctCallers(0, 100);
  const after100 = await scrape(t.app);
  await distinctCallers(100, 9_900);
  const after10k = await scrape(t.app);

  // Same series, only their values grew: the label sets are identical line for line. Node's GC
  // histogram gains a series the first time each kind of collection runs (four kinds at most).
  const series = (text: string) =>
    sampleLines(text)
      .filter((line) => !line.startsWith('nodejs_gc_duration_seconds'))
      .map((line) => line.slice(0, line.lastIndexOf(' ')));
  expect(series(after10k)).toEqual(series(after100));
  expect(sampleLines(after10k).length - sampleLines(after100).length).toBeLessThanOrEqual(4 * 9);
  expect(after10k).toContain('switchboard_webhooks_total{route="/voice/node/:node",outcome="ok"} 2500');
  expect(after10k).toContain('switchboard_http_request_duration_seconds_count{route="/sms"} 2500');
  expect(after10k).not.toMatch(/\+1555|CA0|SM0|step-/);
}, 60_000);
