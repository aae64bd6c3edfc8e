import pg from 'pg';

import { INSTANCE_KEY_BASE, LOCK_CLASS } from './postgres-locks';

export interface InstanceSession {
  /** This process's number among the instances on the database, recorded on the rows it sends. */
  readonly id: number;
  /** Ends the session: to the other instances, this one has stopped. */
  close(): Promise<void>;
}

/**
 * A number for this instance, held as a session advisory lock on a connection of its own while
 * the process runs. PostgreSQL drops the lock when the process or its connection dies, so another
 * instance can tell the rows in flight of a crashed instance (to recover) from those of a running
 * one (to leave alone).
 */
export async function registerInstance(url: string): Promise<InstanceSession> {
  const client = new pg.Client({ connectionString: url, application_name: 'switchboard instance', keepAlive: true });
  // Without a listener an error on this idle connection would end the process; losing it only
  // makes this instance look stopped to the others' start-up recovery.
  client.on('error', () => undefined);
  await client.connect();
  try {
    const { rows } = await client.query<{ id: number }>("SELECT nextval('switchboard_instances')::integer AS id");
    const id = rows[0]?.id as number;
    await client.query('SELECT pg_advisory_lock($1, $2)', [LOCK_CLASS, INSTANCE_KEY_BASE + id]);
    return {
      id,
      async close() {
        await client.end().catch(() => undefined);
      },
    };
  } catch (err) {
    await client.end().catch(() => undefined);
    throw err;
  }
}

/**
 * Ids of the instances running now, as SQL over `pg_locks`: the advisory locks of `registerInstance`
 * held in this database. Parameter $1 is LOCK_CLASS.
 */
export const LIVE_INSTANCES = `
  SELECT int8(objid) - ${INSTANCE_KEY_BASE} FROM pg_locks
  WHERE locktype = 'advisory' AND classid = $1::integer::oid AND objsubid = 2 AND granted
    AND int8(objid) >= ${INSTANCE_KEY_BASE}
    AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`;
