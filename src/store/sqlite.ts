import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Clock } from '../clock';
import { StoreError } from './errors';
import { GroupCommit } from './group-commit';
import { MIGRATIONS } from './migrations';
import { sqliteCallStore } from './sqlite-calls';
import { sqliteChartStore } from './sqlite-charts';
import { sqliteMessageStore } from './sqlite-messages';
import { sqliteOptOutStore } from './sqlite-opt-outs';
import { sqliteStatusStore } from './sqlite-status';
import { sqliteOutboxStore } from './sqlite-outbox';
import { sqliteRetentionStore } from './sqlite-retention';
import { sqliteStatsStore } from './sqlite-stats';
import { sqliteReconcileStore } from './sqlite-reconcile';
import { sqliteVoicemailStore } from './sqlite-voicemails';
import type { Store } from './types';


export interface SqliteStoreOptions {
  /** Told how long each group commit took, in seconds (the database's write latency metric). */
  onCommit?: (seconds: number) => void;
}

/** Opens (creating when needed) the SQLite file and brings its schema up to date. */
export function openSqliteStore(file: string, clock: Clock, options: SqliteStoreOptions = {}): Store {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  let db: Database.Database;
  try {
    db = new Database(file);
  } catch (err) {
    throw new StoreError(`cannot open database ${file}: ${(err as Error).message}`, { cause: err });
  }
  try {
    db.pragma('journal_mode = WAL');
    // NORMAL is durable across application crashes in WAL mode; only an OS crash can lose the
    // last transactions, which is the trade-off SQLite recommends for WAL.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // 512 KiB of page cache instead of 2 MiB: the hot pages (the ends of the indexes that grow)
    // fit, other reads come from the OS's file cache, and under a webhook load this keeps the
    // process about 7 MB smaller (bench/RESULTS.md) at no measured cost in throughput.
    db.pragma('cache_size = -512');
    migrate(db);
  } catch (err) {
    db.close();
    if (err instanceof StoreError) throw err;
    throw new StoreError(`cannot open database ${file}: ${(err as Error).message}`, { cause: err });
  }
  return composeStore(db, clock, options);
}

export function migrate(db: Database.Database): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new StoreError(
      `database schema version ${current} is newer than this Switchboard knows (${MIGRATIONS.length}); upgrade Switchboard`,
    );
  }
  const apply = db.transaction((version: number, sql: string) => {
    db.exec(sql);
    db.pragma(`user_version = ${version}`);
  });
  for (let version = current + 1; version <= MIGRATIONS.length; version++) {
    apply(version, MIGRATIONS[version - 1] as string);
  }
  return MIGRATIONS.length;
}

function composeStore(db: Database.Database, clock: Clock, options: SqliteStoreOptions): Store {
  const ping = db.prepare('SELECT 1');
  const writes = new GroupCommit(db, options.onCommit);
  return {
    async ping() {
      ping.get();
    },
    async close() {
      writes.flush();
      if (db.open) db.close();
    },
    async claimBulkSender() {
      // One process per file: its lease is never lost.
      return { lost: new Promise<void>(() => undefined), release: async () => undefined };
    },
    ...sqliteCallStore(db, clock, writes),
    ...sqliteMessageStore(db, clock, writes),
    ...sqliteVoicemailStore(db, clock, writes),
    ...sqliteOptOutStore(db, clock, writes),
    ...sqliteStatusStore(db, clock, writes),
    ...sqliteOutboxStore(db, clock, writes),
    ...sqliteStatsStore(db),
    ...sqliteRetentionStore(db),
    ...sqliteReconcileStore(db, clock, writes),
    ...sqliteChartStore(db),
  };
}
