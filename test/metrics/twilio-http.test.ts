import { createMetrics, instrumentTwilioHttp } from '../../src/metrics';
import type { HttpAnswer, HttpRequest } from '../../src/twilio';
import { linesOf } from './support';

const ACCOUNT = '/2010-04-01/Accounts/AC' + 'a'.repeat(32);
const request = (path: string): HttpRequest => ({ url: `https://api.twilio.com${ACCOUNT}${path}`, method: 'POST', headers: {}, body: '', timeoutMs: 1000 });
const answer = (status: number, body: unknown): HttpAnswer => ({ status, retryAfter: null, text: JSON.stringify(body) });

test('counts each attempt by resource and status, and error answers by Twilio code, SIDs never labels', async () => {
  const metrics = createMetrics({ defaultMetrics: false });
  const answers: Array<HttpAnswer | Error> = [
    answer(201, { sid: 'SM' + '1'.repeat(32) }),
    answer(400, { code: 21211, message: "The 'To' number +15551234567 is not a valid phone number." }),
    answer(429, { code: 20429, message: 'Too Many Requests' }),
    answer(201, { sid: 'CA' + '2'.repeat(32) }),
    Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    Object.assign(new Error('no complete answer'), { name: 'TimeoutError' }),
    { status: 502, retryAfter: null, text: '<html>bad gateway</html>' },
  ];
  const http = instrumentTwilioHttp(async () => {
    const next = answers.shift() as HttpAnswer | Error;
    if (next instanceof Error) throw next;
    return next;
  }, metrics);
  await http(request('/Messages.json'));
  await http(request('/Messages.json'));
  await http(request('/Messages.json'));
  await http(request('/Calls.json'));
  await expect(http(request('/Calls/CA' + '3'.repeat(32) + '.json'))).rejects.toThrow('ECONNREFUSED');
  await expect(http(request('/Calls/CA' + '3'.repeat(32) + '.json'))).rejects.toThrow('no complete answer');
  await http(request('/Calls.json'));

  const text = await metrics.registry.metrics();
  expect(linesOf(text, 'switchboard_twilio_requests_total')).toEqual([
    'switchboard_twilio_requests_total{resource="messages",status="201"} 1',
    'switchboard_twilio_requests_total{resource="messages",status="400"} 1',
    'switchboard_twilio_requests_total{resource="messages",status="429"} 1',
    'switchboard_twilio_requests_total{resource="calls",status="201"} 1',
    'switchboard_twilio_requests_total{resource="calls",status="network_error"} 1',
    'switchboard_twilio_requests_total{resource="calls",status="timeout"} 1',
    'switchboard_twilio_requests_total{resource="calls",status="502"} 1',
  ]);
  expect(linesOf(text, 'switchboard_twilio_errors_total')).toEqual([
    'switchboard_twilio_errors_total{resource="messages",code="21211"} 1',
    'switchboard_twilio_errors_total{resource="messages",code="20429"} 1',
  ]);
  for (const leaked of ['AC' + 'a'.repeat(32), 'CA333', '+1555']) expect(text).not.toContain(leaked);
});

test('error codes past the first 50 distinct ones count as "other"', async () => {
  const metrics = createMetrics({ defaultMetrics: false });
  let code = 30000;
  const http = instrumentTwilioHttp(async () => answer(400, { code: code++ }), metrics);
  for (let i = 0; i < 60; i++) await http(request('/Messages.json'));
  await http(request('/Messages.json')); // 30060: also past the cap
  const lines = linesOf(await metrics.registry.metrics(), 'switchboard_twilio_errors_total');
  expect(lines).toHaveLength(51);
  expect(lines[0]).toBe('switchboard_twilio_errors_total{resource="messages",code="30000"} 1');
  expect(lines[50]).toBe('switchboard_twilio_errors_total{resource="messages",code="other"} 11');
});
