import type { Clock } from '../clock';
import type { Config } from '../config';
import { openPostgresStore } from './postgres';
import { openSqliteStore } from './sqlite';
import type { Store } from './types';

/** What either store takes besides where it lives. */
export interface StoreOptions {
  /** Told how long each group commit took, in seconds (the database's write latency metric). */
  onCommit?: (seconds: number) => void;
}

/**
 * The store the configuration selects: PostgreSQL when DATABASE_URL is set (several workers or
 * instances share it), else the SQLite file at DATABASE_PATH. The one place the choice is made.
 */
export async function openStore(config: Pick<Config, 'databasePath' | 'postgres'>, clock: Clock, options: StoreOptions = {}): Promise<Store> {
  if (config.postgres !== undefined) {
    return openPostgresStore({ url: config.postgres.url, poolSize: config.postgres.poolSize, ...options }, clock);
  }
  return openSqliteStore(config.databasePath, clock, options);
}
