import request from 'supertest';
import type { MessageStatusEvent } from '../../src/store';
import { buildTestApp, type TestApp } from '../support/app';
import { DASHBOARD_CSP } from '../support/dashboard-csp';
import { chartSvg, chartTableRows } from '../support/html-table';
import { svgElements } from '../support/svg';

const API_KEY = 'dashboard-key-0123456789abcdef';

let t: TestApp;
beforeEach(() => {
  t = buildTestApp({ API_KEY });
});
afterEach(() => t.close());

const get = (path: string) => request(t.app).get(path).auth('owner', API_KEY);
const at = (iso: string) => t.clock.set(new Date(iso));

function failed(sid: string, status: string, errorCode: number | null): MessageStatusEvent {
  return { messageSid: sid, status, sequenceNumber: null, dedupeKey: `${sid}:${status}`, direction: null, from: '+1555', to: '+1666', body: null, errorCode, price: null, priceUnit: null, params: {} };
}

async function sentMessage(n: number, when: string, finalStatus?: string, code?: number): Promise<void> {
  at(when);
  const sid = `SM${String(n).padStart(32, '0')}`;
  await t.store.insertOutbound({ id: `req-${n}`, kind: 'message', params: {} });
  await t.store.markInFlight(`req-${n}`);
  await t.store.markSent(`req-${n}`, { sid }, { kind: 'message', sid, from: '+1555', to: '+1666', status: 'queued', body: 'x', mediaUrls: [] });
  if (finalStatus !== undefined) await t.store.applyMessageStatus(failed(sid, finalStatus, code ?? null));
}

/** Rows at known times before the app's clock ends at 2026-01-02T03:30:00Z. */
async function seed(): Promise<void> {
  at('2026-01-02T03:10:00.000Z');
  await t.store.recordInboundCall({ sid: 'CA1', from: '+1555', to: '+1666', status: 'ringing' });
  await t.store.recordInboundCall({ sid: 'CA2', from: '+1555', to: '+1666', status: 'ringing' });
  at('2026-01-02T01:59:00.000Z');
  await t.store.recordInboundCall({ sid: 'CA3', from: '+1555', to: '+1666', status: 'ringing' });
  at('2025-12-20T12:00:00.000Z');
  await t.store.recordInboundMessage({ sid: 'SMin', from: '+1555', to: '+1666', body: 'hi', mediaUrls: [] });
  await sentMessage(1, '2026-01-02T02:00:00.000Z', 'delivered');
  await sentMessage(2, '2026-01-02T02:05:00.000Z', 'undelivered', 30003);
  await sentMessage(3, '2026-01-01T22:00:00.000Z', 'failed', 30007);
  await sentMessage(4, '2026-01-01T22:30:00.000Z', 'failed', 30007);
  at('2026-01-02T03:30:00.000Z');
}

describe('the charts on the dashboard home', () => {
  test('drawn from the rows, each with an accessible title and its numbers in a table; CSP unchanged', async () => {
    await seed();
    const res = await get('/dashboard');
    expect(res.status).toBe(200);
    expect(res.headers['content-security-policy']).toBe(DASHBOARD_CSP);
    expect(res.text).not.toMatch(/<script|style=|<style/i);

    const hourly = chartTableRows(res.text, 'calls-hourly');
    expect(hourly).toHaveLength(24);
    expect(hourly[0]).toEqual(['04:00', '0', '0']);
    expect(hourly.slice(-3)).toEqual([
      ['01:00', '1', '0'],
      ['02:00', '0', '0'],
      ['03:00', '2', '0'],
    ]);
    expect(chartTableRows(res.text, 'messages-hourly').filter(([, i, o]) => i !== '0' || o !== '0')).toEqual([
      ['22:00', '0', '2'],
      ['02:00', '0', '2'],
    ]);
    const daily = chartTableRows(res.text, 'messages-daily');
    expect(daily).toHaveLength(30);
    expect(daily[0]?.[0]).toBe('12-04');
    expect(daily.filter(([, i, o]) => i !== '0' || o !== '0')).toEqual([
      ['12-20', '1', '0'],
      ['01-01', '0', '2'],
      ['01-02', '0', '2'],
    ]);
    expect(chartTableRows(res.text, 'delivery-outcomes')).toEqual([
      ['delivered', '1'],
      ['failed', '2'],
      ['undelivered', '1'],
    ]);
    expect(chartTableRows(res.text, 'error-codes')).toEqual([
      ['30007', '0', '2', '2'],
      ['30003', '0', '1', '1'],
    ]);

    const svg = svgElements(chartSvg(res.text, 'calls-hourly'));
    expect(svg[0]?.attributes).toMatchObject({ role: 'img', 'aria-labelledby': 'calls-hourly-title calls-hourly-desc' });
    expect(svg.find((e) => e.attributes.id === 'calls-hourly-title')?.text).toBe('Calls per hour, last 24 hours (UTC)');
    expect(svg.find((e) => e.attributes.id === 'calls-hourly-desc')?.text).toBe('3 inbound and 0 outbound calls in the last 24 hours.');
    // One bar per non-empty bucket and direction, each with its number.
    expect(svg.filter((e) => e.name === 'rect' && e.attributes.class === 'bar-inbound' && e.ancestors.length === 1).map((e) => e.text)).toEqual([
      '01:00: 1 inbound',
      '03:00: 2 inbound',
    ]);
    const outcomes = svgElements(chartSvg(res.text, 'delivery-outcomes'));
    expect(outcomes.find((e) => e.name === 'desc')?.text).toBe('1 delivered, 2 failed, 1 undelivered.');
    expect(outcomes.filter((e) => e.attributes.class === 'axis value').map((e) => e.text)).toEqual(['1', '2', '1']);
  });

  test('an empty history draws empty charts, and a filtered list has none', async () => {
    const empty = await get('/dashboard');
    expect(chartTableRows(empty.text, 'error-codes')).toEqual([]);
    expect(empty.text).toContain('No error codes in the last 30 days.');
    expect(chartTableRows(empty.text, 'delivery-outcomes')).toEqual([
      ['delivered', '0'],
      ['failed', '0'],
      ['undelivered', '0'],
    ]);
    const filtered = await get('/dashboard?number=%2B1555');
    expect(filtered.status).toBe(200);
    expect(filtered.text).not.toContain('chart-figure');
  });
});

describe("a bulk job's progress over time", () => {
  test('recipients finished per minute, with the running total', async () => {
    at('2026-01-02T03:00:00.000Z');
    const recipients = [1, 2, 3, 4].map((n) => ({ id: `job-r${n}`, kind: 'message' as const, params: { to: `+1555000000${n}` } }));
    await t.store.createBulkJob({ id: 'job-1', params: { body: 'x' }, recipients });
    for (const [n, when] of [[1, '2026-01-02T03:00:20.000Z'], [2, '2026-01-02T03:00:40.000Z'], [3, '2026-01-02T03:03:00.000Z']] as const) {
      at(when);
      await t.store.markInFlight(`job-r${n}`);
      if (n === 2) await t.store.markFailed(`job-r${n}`, { status: 400, code: 21211, message: 'invalid' });
      else await t.store.markSent(`job-r${n}`, { sid: `SMj${n}` }, { kind: 'message', sid: `SMj${n}`, from: '+1', to: '+2', status: 'queued', body: 'x', mediaUrls: [] });
    }
    const res = await get('/dashboard/jobs/job-1');
    expect(res.status).toBe(200);
    expect(chartTableRows(res.text, 'job-progress')).toEqual([
      ['2026-01-02 03:00', '1', '1', '0', '2'],
      ['2026-01-02 03:03', '1', '0', '0', '3'],
    ]);
    const svg = svgElements(chartSvg(res.text, 'job-progress'));
    expect(svg.find((e) => e.name === 'desc')?.text).toBe('3 of 4 recipients finished by 2026-01-02 03:03 UTC.');
    // From 0 at the job's creation (03:00) to 2 at the end of minute 03:00 and 3 at the end of 03:03:
    // x spans 03:00-03:04 over 488 px from 56; y spans 0-4 over 168 px up from 196.
    expect(svg.find((e) => e.attributes.class === 'step')?.attributes.d).toBe('M56,196 H178 V112 H544 V70');
  });

  test('a job nobody has been sent to yet says so', async () => {
    await t.store.createBulkJob({ id: 'job-2', params: { body: 'x' }, recipients: [{ id: 'r', kind: 'message', params: { to: '+15550000001' } }] });
    const res = await get('/dashboard/jobs/job-2');
    expect(res.text).toContain('No recipient has finished yet.');
  });
});
