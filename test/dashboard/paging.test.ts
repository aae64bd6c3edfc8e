import Database from 'better-sqlite3';
import request from 'supertest';
import { buildTestApp, type TestApp } from '../support/app';

const API_KEY = 'dashboard-key-0123456789abcdef';
const ROWS = 10_000;

let t: TestApp;
beforeAll(() => {
  t = buildTestApp({ API_KEY });
  // One transaction straight into the file: seeding through the store would take longer than the test.
  const db = new Database(t.config.databasePath);
  const insert = db.prepare(
    `INSERT INTO calls (sid, direction, from_number, to_number, status, duration, created_at, updated_at)
     VALUES (?, 'inbound', ?, '+15550009999', ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    for (let i = 0; i < ROWS; i++) {
      const at = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
      insert.run(`CA${String(i).padStart(32, '0')}`, `+1555000${String(i % 100).padStart(4, '0')}`, i % 3 === 0 ? 'busy' : 'completed', i % 600, at, at);
    }
  })();
  db.close();
});
afterAll(() => t.close());

function sids(page: string): string[] {
  return [...page.matchAll(/<th scope="row"><a href="\/dashboard\/calls\/(CA\d+)">/g)].map((m) => m[1] as string);
}

function olderLink(page: string): string | undefined {
  return /<a href="([^"]+)" rel="next">Older →<\/a>/.exec(page)?.[1]?.replace(/&amp;/g, '&');
}

const expected = (from: number, count: number) => Array.from({ length: count }, (_, k) => `CA${String(from - k).padStart(32, '0')}`);

describe(`the calls page over ${ROWS.toLocaleString('en')} calls`, () => {
  test('the first page has the newest 50; "Older" gives the next 50, with no overlap', async () => {
    const started = process.hrtime.bigint();
    const first = await request(t.app).get('/dashboard').auth('owner', API_KEY);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    console.log(`bench note: first page of ${ROWS} calls rendered in ${ms.toFixed(1)} ms (${first.text.length} bytes)`);
    expect(first.status).toBe(200);
    expect(sids(first.text)).toEqual(expected(ROWS - 1, 50));
    const older = olderLink(first.text) as string;
    expect(older).toMatch(/^\/dashboard\?cursor=[A-Za-z0-9_-]+$/);
    const second = await request(t.app).get(older).auth('owner', API_KEY);
    expect(sids(second.text)).toEqual(expected(ROWS - 51, 50));
    expect(second.text).toContain('<a href="/dashboard">← Newest</a>');
  });

  test('filters are kept in the "Older" link; a filtered walk ends on the last page', async () => {
    // Every 100th call is from +15550000007; those with i % 3 === 0 (k = 2, 5 … 98 in i = 7 + 100k) are busy: 33.
    const first = await request(t.app).get('/dashboard?number=%2B15550000007&status=busy').auth('owner', API_KEY);
    const firstSids = sids(first.text);
    expect(firstSids).toHaveLength(33);
    expect(olderLink(first.text)).toBeUndefined();

    const all = await request(t.app).get('/dashboard?number=%2B15550000007').auth('owner', API_KEY);
    const older = olderLink(all.text) as string;
    expect(older).toMatch(/^\/dashboard\?number=%2B15550000007&cursor=/);
    const rest = await request(t.app).get(older).auth('owner', API_KEY);
    expect(sids(rest.text)).toHaveLength(50);
    expect(olderLink(rest.text)).toBeUndefined();
    expect(new Set([...sids(all.text), ...sids(rest.text)]).size).toBe(100);
  });
});
