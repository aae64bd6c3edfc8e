// What PostgreSQL answers per turn rather than per call (src/store/per-turn.ts): the API rate
// limit's shared counters (one upsert a turn, every caller still counted on its own, across
// instances too) and opt-out checks (one query a turn, each caller its own answer).
import pg from 'pg';
import { openPostgresStore, type SharedCounters, type Store } from '../../src/store';
import { startPostgres, type PostgresCluster } from '../support/postgres';
import { describeNeeding, postgresPart } from '../support/system-parts';

const clock = { now: () => new Date('2026-03-04T05:06:07.000Z') };
const WINDOW = Date.parse('2026-03-04T05:06:00.000Z');
const PREVIOUS = WINDOW - 60_000;

describeNeeding(postgresPart())('PostgreSQL per-turn counters and opt-out checks', () => {
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
  const statementsDuring = async <T>(pattern: RegExp, during: () => Promise<T>): Promise<{ result: T; statements: number }> => {
    const spy = jest.spyOn(pg.Client.prototype, 'query');
    try {
      const result = await during();
      const texts = spy.mock.calls.map(([config]) => (typeof config === 'string' ? config : String((config as { text?: string }).text)));
      return { result, statements: texts.filter((text) => pattern.test(text)).length };
    } finally {
      spy.mockRestore();
    }
  };

  test('increments asked in one turn are one upsert, and each caller gets its own count', async () => {
    const { result, statements } = await statementsDuring(/INSERT INTO rate_windows/, () =>
      Promise.all([a.increment('k', WINDOW, PREVIOUS), a.increment('k', WINDOW, PREVIOUS), a.increment('other', WINDOW, PREVIOUS), a.increment('k', WINDOW, PREVIOUS)]),
    );
    expect(statements).toBe(1);
    expect(result).toEqual([1, 2, 1, 3]);
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

  test('opt-out checks of one turn are one query, each answered for its own numbers', async () => {
    const [store, other] = stores as [Store, Store];
    await other.applyOptChange({ ourNumber: '+15005550006', theirNumber: '+15550001111', action: 'opt-out', keyword: 'STOP', source: 'inbound-sms', messageSid: null });
    const { result, statements } = await statementsDuring(/FROM opt_outs/, () =>
      Promise.all([
        store.isOptedOut('+15550001111', '+15005550006'),
        store.isOptedOut('+15550001111', '+15005559999'),
        store.isOptedOut('+15550001111'),
        store.isOptedOut('+15550002222'),
        store.isOptedOut('+15550002222', '+15005550006'),
      ]),
    );
    expect(statements).toBe(1);
    expect(result).toEqual([true, false, true, false, false]);
    // A change committed on another instance is seen by the next check: nothing is cached.
    await other.applyOptChange({ ourNumber: '+15005550006', theirNumber: '+15550001111', action: 'opt-in', keyword: 'START', source: 'inbound-sms', messageSid: null });
    expect(await store.isOptedOut('+15550001111', '+15005550006')).toBe(false);
  });
});
