import type { PoolClient, QueryResult } from 'pg';

/** One parameterised statement, sent as it is. */
export interface Statement {
  text: string;
  values: unknown[];
}

export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

const settle = <T>(promise: Promise<T>): Promise<Settled<T>> =>
  promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );

/**
 * Sends `statements` one after the other without waiting for any answer, as a single socket
 * write, and then settles each. On a connection in pg's pipeline mode (`pipeline: true`): each
 * round trip to PostgreSQL costs this process a socket write and a read, so n statements cost
 * about one instead of n. PostgreSQL still runs them in order, each its own Sync: in an open
 * transaction, one that fails aborts it, and those after it fail too ("current transaction is
 * aborted"). Returns a promise per statement, in order, that settles with its answer and never
 * rejects.
 */
export function sendPipelined(client: PoolClient, statements: ReadonlyArray<Statement | string>): Array<Promise<Settled<QueryResult>>> {
  const { stream } = client.connection;
  stream.cork();
  let sent: Array<Promise<Settled<QueryResult>>>;
  try {
    sent = statements.map((statement) => settle(typeof statement === 'string' ? client.query(statement) : client.query(statement.text, statement.values)));
  } finally {
    stream.uncork();
  }
  return sent;
}
