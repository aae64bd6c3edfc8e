import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { GroupCommit } from '../../src/store/group-commit';

let dir: string;
let writer: Database.Database;
let reader: Database.Database;
let writes: GroupCommit;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-group-'));
  const file = path.join(dir, 'db');
  writer = new Database(file);
  writer.pragma('journal_mode = WAL');
  writer.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
  reader = new Database(file, { readonly: true });
  writes = new GroupCommit(writer);
});

afterEach(() => {
  reader.close();
  if (writer.open) writer.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const rows = () => reader.prepare('SELECT id, v FROM t ORDER BY id').all();
const insert = (id: number, v: string) => () => writer.prepare('INSERT INTO t (id, v) VALUES (?, ?)').run(id, v).changes;

test('writes of one turn share a commit, in the order they were asked for, and settle after it', async () => {
  const seenByOthers: unknown[] = [];
  const first = writes.run(insert(1, 'a'));
  const second = writes.run(() => {
    // Another connection sees nothing yet: the first write is in the same open transaction.
    seenByOthers.push(rows());
    return insert(2, 'b')();
  });
  expect(rows()).toEqual([]);
  await expect(Promise.all([first, second])).resolves.toEqual([1, 1]);
  expect(seenByOthers).toEqual([[]]);
  expect(rows()).toEqual([{ id: 1, v: 'a' }, { id: 2, v: 'b' }]);
});

test('a write that throws is undone and rejected alone; the rest of its turn commits', async () => {
  const twoStatements = writer.transaction(() => {
    insert(3, 'c')();
    insert(1, 'duplicate')();
  });
  const results = await Promise.allSettled([writes.run(insert(1, 'a')), writes.run(twoStatements), writes.run(insert(2, 'b'))]);
  expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/UNIQUE constraint failed/);
  // Row 3 was written by the failed write before it threw, and is gone with it.
  expect(rows()).toEqual([{ id: 1, v: 'a' }, { id: 2, v: 'b' }]);
});

test('flush commits what is queued at once, so closing the database loses nothing', async () => {
  const pending = writes.run(insert(1, 'a'));
  writes.flush();
  writer.close();
  await expect(pending).resolves.toBe(1);
  expect(rows()).toEqual([{ id: 1, v: 'a' }]);
});

test('writes queued after the database closed are rejected, none silently dropped', async () => {
  const pending = writes.run(insert(1, 'a'));
  writer.close();
  await expect(pending).rejects.toThrow('the database is closed');
  expect(rows()).toEqual([]);
});
