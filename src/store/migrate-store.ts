import Database from 'better-sqlite3';
import pg from 'pg';
import { StoreError } from './errors';
import { MIGRATIONS } from './migrations';
import { migratePostgres } from './postgres';
import { CHART_COUNT_TABLES, deltasOf } from './postgres-chart-tables';
import { describeDatabase } from './postgres-url';

/**
 * The tables copied, in this order (the summary's). Every table of the SQLite schema must be one
 * of them: a table this list does not know would be left behind, so the copy refuses to start.
 */
const TABLES = [
  'calls',
  'messages',
  'status_events',
  'voicemails',
  'opt_outs',
  'opt_out_events',
  'outbound_requests',
  'bulk_jobs',
  'api_idempotency',
] as const;

/**
 * The dashboard's count tables. PostgreSQL's triggers count the rows above as they are inserted
 * (as deltas, beside the count tables), but SQLite's counts may include rows that retention has
 * since deleted; so after the copy the counts and their deltas are replaced by SQLite's counts,
 * and the charts show exactly what they showed before.
 */
const COUNT_TABLES = CHART_COUNT_TABLES;

/** Rows per INSERT: few round trips, far below PostgreSQL's 65,535 parameters per statement. */
const BATCH_ROWS = 500;

export interface CopyResult {
  /** host:port/database of the target; never the URL, which may hold a password. */
  target: string;
  /** Rows copied per table, in TABLES then COUNT_TABLES order. */
  rows: ReadonlyArray<{ table: string; rows: number }>;
}

interface PgColumn {
  name: string;
  identity: boolean;
}

/**
 * Copies everything a SQLite store holds into an empty PostgreSQL database, in one PostgreSQL
 * transaction: either every row arrives or none does. The target's schema is created or brought
 * up to date first. A target that already holds rows in any of the tables is refused: merging two
 * histories could collide on ids and sids, and silently skipping rows would lose them.
 *
 * The SQLite file is read in one read transaction (a consistent snapshot, even if a server is
 * still writing to it) and never written. Columns are matched by name, so columns added to both
 * schemas later come along without a change here; `seq` (PostgreSQL's stand-in for SQLite's rowid)
 * is filled from the rowid, so the order of insertion is kept.
 */
export async function copySqliteToPostgres(sqlitePath: string, postgresUrl: string): Promise<CopyResult> {
  const target = describeDatabase(postgresUrl);
  const source = openSource(sqlitePath);
  const pool = new pg.Pool({ connectionString: postgresUrl, max: 1, connectionTimeoutMillis: 5_000, application_name: 'switchboard migrate-store' });
  pool.on('error', () => undefined);
  try {
    try {
      await migratePostgres(pool);
    } catch (err) {
      if (err instanceof StoreError) throw err;
      throw new StoreError(`cannot open PostgreSQL database ${target}: ${(err as Error).message}`, { cause: err });
    }
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      // No instance may write while the copy runs, nor between the emptiness check and the copy.
      await client.query(`LOCK TABLE ${TABLES.join(', ')} IN EXCLUSIVE MODE NOWAIT`).catch((err: unknown) => {
        throw new StoreError(`${target} is in use (a Switchboard instance may be running on it): ${(err as Error).message}`, { cause: err });
      });
      await refuseUnlessEmpty(client, target);
      source.exec('BEGIN');
      const rows: Array<{ table: string; rows: number }> = [];
      for (const table of TABLES) rows.push({ table, rows: await copyTable(source, client, table) });
      for (const table of COUNT_TABLES) {
        await client.query(`DELETE FROM ${deltasOf(table)}`);
        await client.query(`DELETE FROM ${table}`);
        rows.push({ table, rows: await copyTable(source, client, table) });
      }
      source.exec('COMMIT');
      await client.query('COMMIT');
      return { target, rows };
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  } finally {
    source.close();
    await pool.end();
  }
}

function openSource(file: string): Database.Database {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new StoreError(`cannot open SQLite database ${file}: ${(err as Error).message}`, { cause: err });
  }
  try {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version !== MIGRATIONS.length) {
      throw new StoreError(
        version > MIGRATIONS.length
          ? `${file} is at schema version ${version}, newer than this Switchboard knows (${MIGRATIONS.length}); upgrade Switchboard`
          : `${file} is at schema version ${version}, this Switchboard's is ${MIGRATIONS.length}: start the server on it once to upgrade it, then copy it`,
      );
    }
    const tables = db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .all()
      .map((row) => row.name);
    const known: readonly string[] = [...TABLES, ...COUNT_TABLES];
    const unknown = tables.filter((name) => !known.includes(name));
    if (unknown.length > 0) throw new StoreError(`${file} has tables this copy does not know (${unknown.join(', ')}); nothing was copied`);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

async function refuseUnlessEmpty(client: pg.PoolClient, target: string): Promise<void> {
  const held: string[] = [];
  for (const table of TABLES) {
    const { rows } = await client.query<{ n: number }>(`SELECT CAST(count(*) AS INTEGER) AS n FROM ${table}`);
    const n = rows[0]?.n ?? 0;
    if (n > 0) held.push(`${table} ${n}`);
  }
  if (held.length > 0) {
    throw new StoreError(`${target} already holds rows (${held.join(', ')}); migrate-store copies into an empty database only; nothing was copied`);
  }
}

async function copyTable(source: Database.Database, client: pg.PoolClient, table: string): Promise<number> {
  const sqliteColumns = source
    .prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${table}') ORDER BY cid`)
    .all()
    .map((row) => row.name);
  if (sqliteColumns.length === 0) return 0; // an older schema without this table has nothing to copy
  const { rows: pgColumns } = await client.query<PgColumn>(
    `SELECT column_name AS name, is_identity = 'YES' AS identity FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name = $1`,
    [table],
  );
  const known = new Map(pgColumns.map((column) => [column.name, column]));
  const missing = sqliteColumns.filter((name) => !known.has(name));
  if (missing.length > 0) throw new StoreError(`PostgreSQL table ${table} has no column ${missing.join(', ')}; nothing was copied`);
  const seq = known.get('seq') !== undefined && !sqliteColumns.includes('seq');
  const columns = seq ? [...sqliteColumns, 'seq'] : sqliteColumns;
  const identities = columns.filter((name) => known.get(name)?.identity === true);
  const select = source.prepare<[number], Record<string, unknown>>(
    `SELECT rowid AS "__rowid", ${sqliteColumns.map((name) => `"${name}"`).join(', ')} FROM "${table}" WHERE rowid > ? ORDER BY rowid LIMIT ${BATCH_ROWS}`,
  );
  let copied = 0;
  for (let after = 0; ; ) {
    const batch = select.all(after);
    if (batch.length === 0) break;
    const values: unknown[] = [];
    const tuples = batch.map((row) => {
      const start = values.length;
      for (const name of columns) values.push(name === 'seq' && seq ? row.__rowid : row[name]);
      return `(${columns.map((_, i) => `$${start + i + 1}`).join(', ')})`;
    });
    await client.query(
      `INSERT INTO ${table} (${columns.join(', ')}) ${identities.length > 0 ? 'OVERRIDING SYSTEM VALUE ' : ''}VALUES ${tuples.join(', ')}`,
      values,
    );
    copied += batch.length;
    after = Number((batch[batch.length - 1] as { __rowid: number }).__rowid);
  }
  // The next row a running instance inserts must get an id after the copied ones.
  for (const name of identities) {
    await client.query(`SELECT setval(pg_get_serial_sequence($1, $2), max(${name})) FROM ${table} HAVING count(*) > 0`, [table, name]);
  }
  return copied;
}
