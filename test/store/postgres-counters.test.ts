// The API rate limit's shared counters (src/store/postgres-counters.ts): the increments of one turn
// share one upsert, and every caller still gets a count of its own, across instances too.
import pg from 'pg';
import { openPostgresStore, type SharedCounters, type Store } from '../../src/store';
import { startPostgres, type PostgresCluster } from '../support/postgres';
import { describeNeeding, postgresPart } from '../support/system-parts';

const clock = { now: () => new Date('2026-03-04T05:06:07.000Z') };
const WINDOW = Date.parse('2026-03-04T05:06:00.000Z');
const PREVIOUS = WINDOW - 60_000;

describeNeeding(postgresPart())('PostgreSQL shared counters', () => {
  let cluster: PostgresCluster;
  let stores: Store[] = [];
  let a: SharedCounters;
  let b: SharedCounters;
  beforeAll(async () => {
    cluster = await startPostgres();
  }, 60_000);
  afterAll(() => cluster?.stop());
  beforeEach(async () => {
    const url = await cluster.createDatabase();
    stores = [await openPostgresStore({ url, poolSize: 2 }, clock), await openPostgresStore({ url, poolSize: 2 }, clock)];
    [a, b] = stores.map((store) => store.sharedCounters as SharedCounters) as [SharedCounters, SharedCounters];
  });
  afterEach(async () => {
    for (const store of stores) await store.close();
  });

  const sorted = (counts: number[]) => [...counts].sort((x, y) => x - y);

  test('increments asked in one turn are one upsert, and each caller gets its own count', async () => {
    const spy = jest.spyOn(pg.Client.prototype, 'query');
    let counts: number[];
    try {
      counts = await Promise.all([a.increment('k', WINDOW, PREVIOUS), a.increment('k', WINDOW, PREVIOUS), a.increment('other', WINDOW, PREVIOUS), a.increment('k', WINDOW, PREVIOUS)]);
      const upserts = spy.mock.calls.filter(([config]) => /INSERT INTO rate_windows/.test(typeof config === 'string' ? config : String((config as { text?: string }).text)));
      expect(upserts).toHaveLength(1);
    } finally {
      spy.mockRestore();
    }
    expect(counts).toEqual([1, 2, 1, 3]);
    // A later turn goes on from there.
    expect(await a.increment('k', WINDOW, PREVIOUS)).toBe(4);
  });

  test('two instances counting one key at once: every count from 1 to n is handed out once', async () => {
    const asks = Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? a : b).increment('k', WINDOW, PREVIOUS));
    expect(sorted(await Promise.all(asks))).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });

  test('a key starting a window prunes windows before the previous one', async () => {
    await a.increment('k', PREVIOUS - 60_000, PREVIOUS - 120_000);
    await a.increment('k', PREVIOUS, PREVIOUS - 60_000);
    expect(await Promise.all([b.increment('k', WINDOW, PREVIOUS), b.increment('k', WINDOW, PREVIOUS)])).toEqual([1, 2]);
    // The window before the previous one is gone: starting it again counts from 1.
    expect(await a.increment('k', PREVIOUS - 60_000, PREVIOUS - 120_000)).toBe(1);
    expect(await a.increment('k', PREVIOUS, PREVIOUS - 60_000)).toBe(2);
  });
});
