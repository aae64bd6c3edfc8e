import Database from 'better-sqlite3';
import { Pruner } from '../src/retention/pruner';
import { buildTestApp, type TestApp } from './support/app';
import { NOW, seedSql } from './store/contract/retention';


let t: TestApp;
let db: Database.Database;

beforeEach(() => {
  t = buildTestApp();
  t.clock.set(NOW);
  // A second connection, as any other reader of the file: the seed is written exactly as listed.
  db = new Database(t.config.databasePath);
  db.exec(seedSql());
});

afterEach(async () => {
  db.close();
  await t.close();
});

const column = (sql: string): unknown[] => db.prepare(sql).raw().all().map((row) => (row as unknown[])[0]);

// Which rows a prune deletes and keeps, batch by batch, is part of the store contract
// (test/store/contract/retention.ts), run over SQLite and PostgreSQL; here the Pruner's timer and
// SQLite's query plans.

test('on its timer: soon after start, one log line with what went, and stop() waits for the batch in progress', async () => {
  const logger = { info: jest.fn(), error: jest.fn() };
  const pruner = new Pruner({ store: t.store, clock: t.clock, logger, retentionDays: 30, firstRunMs: 0, intervalMs: 60_000 });
  pruner.start();
  for (let i = 0; i < 200 && logger.info.mock.calls.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  await pruner.stop();
  expect(logger.info.mock.calls).toEqual([
    [{ deleted: { calls: 3, messages: 1, statusEvents: 2, voicemails: 1, outbox: 5, bulkJobs: 1, idempotency: 1 }, retentionDays: 30 }, 'old history pruned'],
  ]);
  expect(column('SELECT sid FROM calls')).toEqual(['CA-new']);
});

test('every batch finds its rows through an index, never a scan of the table', () => {
  const plans = [
    "SELECT rowid FROM calls WHERE created_at < '2026' LIMIT 500",
    "SELECT rowid FROM messages WHERE created_at < '2026' LIMIT 500",
    "SELECT id FROM status_events WHERE received_at < '2026' LIMIT 500",
    "SELECT id FROM voicemails WHERE created_at < '2026' LIMIT 500",
    "SELECT rowid FROM outbound_requests WHERE state IN ('sent', 'failed', 'not_sent') AND created_at < '2026' LIMIT 500",
    "SELECT rowid FROM api_idempotency WHERE created_at < '2026' LIMIT 500",
  ].map((sql) => [sql, db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all().map((row) => (row as { detail: string }).detail).join('; ')]);
  for (const [sql, plan] of plans) expect(`${sql}: ${plan}`).toMatch(/: SEARCH .* USING (COVERING )?INDEX/);
});
