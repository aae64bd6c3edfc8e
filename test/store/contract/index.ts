import { useContract, type StoreHarness } from './context';
import { historyContract } from './history';
import { chartsContract } from './charts';
import { instancesContract } from './instances';
import { outboxContract } from './outbox';
import { reconcileContract } from './reconcile';
import { retentionContract } from './retention';
import { statsContract } from './stats';
import { recordsContract } from './records';
import { statusContract } from './status';

export type { StoreHarness } from './context';

/**
 * Every behaviour a Store promises, run against one database. Each test gets a new, empty
 * database; `harness` is read lazily, so it may be created in a beforeAll.
 */
export function describeStoreContract(name: string, harness: () => StoreHarness): void {
  describe(`${name} store contract`, () => {
    const ctx = useContract(harness);
    recordsContract(ctx);
    statusContract(ctx);
    historyContract(ctx);
    outboxContract(ctx);
    reconcileContract(ctx);
    instancesContract(ctx);
    statsContract(ctx);
    retentionContract(ctx);
    chartsContract(ctx);
  });
}
