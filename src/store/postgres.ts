import pg from 'pg';
import type { Clock } from '../clock';
import { PgGroupCommit } from './postgres-commit';
import { registerInstance, type InstanceSession } from './postgres-instance';
import { claimBulkSender } from './postgres-lease';
import { LOCK_CLASS, MIGRATION_KEY } from './postgres-locks';
import { POSTGRES_MIGRATIONS } from './postgres-migrations';
import { postgresCallStore } from './postgres-calls';
import { PgChartRollup } from './postgres-chart-rollup';
import { postgresChartStore } from './postgres-charts';
import { postgresCounters } from './postgres-counters';
import { postgresMessageStore } from './postgres-messages';
import { postgresOptOutStore } from './postgres-opt-outs';
import { postgresReconcileStore } from './postgres-reconcile';
import { postgresOutboxStore } from './postgres-outbox';
import { postgresRetentionStore } from './postgres-retention';
import { postgresStatsStore } from './postgres-stats';
import { postgresStatusStore } from './postgres-status';
import { postgresVoicemailStore } from './postgres-voicemails';
import { describeDatabase } from './postgres-url';
import { StoreError } from './errors';
import type { Store } from './types';

export interface PostgresOptions {
  /** postgres://user:password@host:5432/database; the password is never repeated in a message. */
  url: string;
  /** Connections kept at most; the webhook writes use one per batch, reads one per query. */
  poolSize: number;
  /** Told how long each group commit's COMMIT took, in seconds (the database's write latency metric). */
  onCommit?: (seconds: number) => void;
}

/** A waiting connection attempt gives up after this, so /readyz answers instead of hanging. */
const CONNECT_TIMEOUT_MS = 5_000;

/**
 * The ids of status events, voicemails and opt-out changes are BIGINT; they are handed out as
 * numbers, as SQLite does (exact up to 2^53, far beyond what one deployment writes).
 */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === pg.types.builtins.INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as 'text')) as pg.CustomTypesConfig['getTypeParser'],
};

/** Connects, brings the schema up to date (once, whichever instance gets there first) and returns the store. */
export async function openPostgresStore(options: PostgresOptions, clock: Clock): Promise<Store> {
  const where = describeDatabase(options.url);
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    application_name: 'switchboard',
    types,
    // A query is sent without waiting for the previous one's answer (pg's pipeline mode): the
    // group commit sends a batch's one-statement writes together. Code that awaits each query,
    // as all the rest does, sees no difference.
    pipeline: true,
  });
  // An idle connection the server drops (a restart, a failover) must not crash the process: the
  // pool discards it, and the next query connects again or fails where it is awaited.
  pool.on('error', () => undefined);
  let instance: InstanceSession;
  try {
    await migratePostgres(pool);
    instance = await registerInstance(options.url);
  } catch (err) {
    await pool.end().catch(() => undefined);
    if (err instanceof StoreError) throw err;
    throw new StoreError(`cannot open PostgreSQL database ${where}: ${scrub((err as Error).message, options.url)}`, { cause: err });
  }
  return composeStore(pool, options, instance, clock);
}

/** Applies the missing migrations, each in its own transaction, holding the migration lock. */
export async function migratePostgres(pool: pg.Pool): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1, $2)', [LOCK_CLASS, MIGRATION_KEY]);
    await client.query(
      `CREATE TABLE IF NOT EXISTS switchboard_schema (
         version    INTEGER PRIMARY KEY,
         applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
       )`,
    );
    const { rows } = await client.query<{ version: number | null }>('SELECT max(version) AS version FROM switchboard_schema');
    const current = rows[0]?.version ?? 0;
    if (current > POSTGRES_MIGRATIONS.length) {
      throw new StoreError(
        `database schema version ${current} is newer than this Switchboard knows (${POSTGRES_MIGRATIONS.length}); upgrade Switchboard`,
      );
    }
    for (let version = current + 1; version <= POSTGRES_MIGRATIONS.length; version++) {
      await client.query('BEGIN');
      await client.query(POSTGRES_MIGRATIONS[version - 1] as string);
      await client.query('INSERT INTO switchboard_schema (version) VALUES ($1)', [version]);
      await client.query('COMMIT');
    }
    await client.query('SELECT pg_advisory_unlock($1, $2)', [LOCK_CLASS, MIGRATION_KEY]);
  } catch (err) {
    // Closing the connection rolls back a half-applied migration and frees the lock for the next instance.
    client.release(true);
    throw err;
  }
  client.release();
  return POSTGRES_MIGRATIONS.length;
}

/** Driver messages do not contain the password, but a future one must not leak it either. */
function scrub(message: string, url: string): string {
  let password = '';
  try {
    password = decodeURIComponent(new URL(url).password);
  } catch {
    return message;
  }
  return password === '' ? message : message.split(password).join('***');
}

function composeStore(pool: pg.Pool, options: PostgresOptions, instance: InstanceSession, clock: Clock): Store {
  const { url } = options;
  const rollup = new PgChartRollup(pool);
  const writes = new PgGroupCommit(pool, options.onCommit, (n) => rollup.committed(n));
  let closing: Promise<void> | undefined;
  return {
    async ping() {
      await pool.query('SELECT 1');
    },
    async close() {
      closing ??= writes.close().then(async () => {
        await rollup.close();
        await pool.end();
        await instance.close();
      });
      await closing;
    },
    claimBulkSender: () => claimBulkSender(url, types),
    sharedCounters: postgresCounters(pool),
    ...postgresCallStore(pool, clock, writes),
    ...postgresMessageStore(pool, clock, writes),
    ...postgresVoicemailStore(pool, clock, writes),
    ...postgresOptOutStore(pool, clock, writes),
    ...postgresStatusStore(pool, clock, writes),
    ...postgresOutboxStore(pool, clock, writes, instance.id),
    ...postgresStatsStore(pool),
    ...postgresRetentionStore(pool),
    ...postgresReconcileStore(pool, clock, writes),
    ...postgresChartStore(pool),
  };
}
