import pg from 'pg';
import { BULK_SENDER_KEY, LOCK_CLASS } from './postgres-locks';
import type { SenderLease } from './types';

/** How often the holder checks its connection, and how long a check may take. */
const HEARTBEAT_MS = 5_000;

/**
 * A session-level advisory lock on a connection of its own (not the pool's, which recycles
 * connections): held while the connection lives, released by PostgreSQL when it ends, so a
 * crashed sender's lease passes to another instance without any clean-up. A failed heartbeat
 * counts as lost, so the holder stops starting sends soon after its connection is gone.
 */
export async function claimBulkSender(url: string, types: pg.CustomTypesConfig): Promise<SenderLease | undefined> {
  const client = new pg.Client({
    connectionString: url,
    types,
    application_name: 'switchboard bulk sender',
    connectionTimeoutMillis: HEARTBEAT_MS,
    query_timeout: HEARTBEAT_MS,
    keepAlive: true,
  });
  let lose: () => void = () => undefined;
  const lost = new Promise<void>((resolve) => (lose = resolve));
  // Without a listener an error on an idle connection would end the process.
  client.on('error', () => lose());
  client.on('end', () => lose());
  await client.connect();
  let held = false;
  try {
    const { rows } = await client.query<{ held: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS held', [LOCK_CLASS, BULK_SENDER_KEY]);
    held = rows[0]?.held === true;
  } finally {
    if (!held) await client.end().catch(() => undefined);
  }
  if (!held) return undefined;
  const heartbeat = setInterval(() => {
    client.query('SELECT 1').catch(() => {
      lose();
      void client.end().catch(() => undefined);
    });
  }, HEARTBEAT_MS);
  heartbeat.unref();
  void lost.then(() => clearInterval(heartbeat));
  return {
    lost,
    shared: true,
    async release() {
      clearInterval(heartbeat);
      await client.end().catch(() => undefined);
    },
  };
}
