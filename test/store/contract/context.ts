import type { Clock } from '../../../src/clock';
import type { Store } from '../../../src/store';

export type Row = Record<string, unknown>;

/** What each database gives the contract: fresh databases, stores over them, and raw rows. */
export interface StoreHarness {
  /** Called before each test: the next stores open over a new, empty database. */
  reset(): Promise<void>;
  open(clock: Clock): Promise<Store>;
  /** Rows straight from the database through another connection; SQL both databases accept, no parameters. */
  rows(sql: string): Promise<Row[]>;
  /** Writes straight to the database through another connection, as any other writer would (seeds, hand edits). */
  exec(sql: string): Promise<void>;
}

export const CONTRACT_NOW = new Date('2026-03-04T05:06:07.000Z');

export interface ContractContext {
  /** A store opened before each test over the test's database. */
  readonly store: Store;
  /** Another store (another connection or pool) over the same database. */
  openAnother(): Promise<Store>;
  clock: Clock & { set(date: Date): void };
  rows(sql: string): Promise<Row[]>;
  exec(sql: string): Promise<void>;
}

/** Sets up `ctx` around every test of the enclosing describe; closes what it opened. */
export function useContract(harness: () => StoreHarness): ContractContext {
  let now = CONTRACT_NOW;
  const clock = { now: () => now, set: (date: Date) => void (now = date) };
  const opened: Store[] = [];
  let current: Store | undefined;
  const ctx: ContractContext = {
    get store() {
      if (current === undefined) throw new Error('no store: used outside a test');
      return current;
    },
    async openAnother() {
      const store = await harness().open(clock);
      opened.push(store);
      return store;
    },
    clock,
    rows: (sql) => harness().rows(sql),
    exec: (sql) => harness().exec(sql),
  };
  beforeEach(async () => {
    now = CONTRACT_NOW;
    await harness().reset();
    current = await harness().open(clock);
    opened.push(current);
  });
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    current = undefined;
  });
  return ctx;
}
