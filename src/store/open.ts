import type { Clock } from '../clock';
import type { Config } from '../config';
import { openSqliteStore, StoreError, type SqliteStoreOptions } from './sqlite';
import type { Store } from './types';

/**
 * The store the configuration selects: PostgreSQL when DATABASE_URL is set, else the SQLite file
 * at DATABASE_PATH. This build has only the SQLite store, so DATABASE_URL stops start-up rather
 * than have several processes write one SQLite file.
 */
export function openStore(config: Pick<Config, 'databasePath' | 'databaseUrl'>, clock: Clock, options: SqliteStoreOptions = {}): Store {
  if (config.databaseUrl !== undefined) throw new StoreError('DATABASE_URL is set, but this build has no PostgreSQL store');
  return openSqliteStore(config.databasePath, clock, options);
}
