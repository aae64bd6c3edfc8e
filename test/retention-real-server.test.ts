// Retention on the built server as a user runs it: a database holding old and recent history is
// pruned shortly after start, the recent rows and the opt-out ledger are kept.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../src/store';
import { startChildServer } from './support/child-server';

const DAY_MS = 86_400_000;
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-retention-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const sid = (prefix: string, n: number) => prefix + String(n).padStart(32, '0');

async function seed(file: string): Promise<void> {
  let at = new Date(Date.now() - 40 * DAY_MS);
  const store = openSqliteStore(file, { now: () => at });
  for (let i = 0; i < 3; i++) await store.recordInboundCall({ sid: sid('CA', i), from: '+15550000001', to: '+15550000002', status: 'ringing' });
  await store.recordInboundMessage({ sid: sid('SM', 0), from: '+15550000001', to: '+15550000002', body: 'old', mediaUrls: [] });
  await store.applyOptChange({ ourNumber: '+15550000002', theirNumber: '+15550000001', action: 'opt-out', keyword: 'STOP', source: 'inbound-sms', messageSid: null });
  at = new Date(Date.now() - 2 * DAY_MS);
  await store.recordInboundCall({ sid: sid('CA', 9), from: '+15550000001', to: '+15550000002', status: 'ringing' });
  await store.recordInboundMessage({ sid: sid('SM', 9), from: '+15550000001', to: '+15550000002', body: 'recent', mediaUrls: [] });
  await store.close();
}

test('HISTORY_RETENTION_DAYS=30: the server deletes history older than 30 days and keeps the rest', async () => {
  const file = path.join(dir, 'sb.db');
  await seed(file);
  const server = await startChildServer({ DATABASE_PATH: file, HISTORY_RETENTION_DAYS: '30' }, dir);
  try {
    const pruned = await server.waitForLog('old history pruned', 20_000);
    expect(pruned).toMatchObject({ retentionDays: 30, deleted: expect.objectContaining({ calls: 3, messages: 1 }) });
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
  }
  const db = new Database(file, { readonly: true });
  try {
    expect(db.prepare('SELECT sid FROM calls ORDER BY sid').pluck().all()).toEqual([sid('CA', 9)]);
    expect(db.prepare('SELECT sid FROM messages ORDER BY sid').pluck().all()).toEqual([sid('SM', 9)]);
    expect(db.prepare('SELECT their_number, opted_out FROM opt_outs').all()).toEqual([{ their_number: '+15550000001', opted_out: 1 }]);
  } finally {
    db.close();
  }
});
