import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from '../src/store';
import { startChildServer } from './support/child-server';
import { runCli } from './support/cli';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-backup-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const sid = (i: number) => 'CA' + i.toString(16).padStart(32, '0');

test('backup while webhooks keep coming: the copy is intact and holds every row committed before it began', async () => {
  const databasePath = path.join(dir, 'live.db');
  const server = await startChildServer({ DATABASE_PATH: databasePath }, dir);
  const call = async (i: number) => {
    const res = await fetch(`http://127.0.0.1:${server.port}/voice`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `CallSid=${sid(i)}&From=%2B1555${String(i).padStart(7, '0')}&To=%2B15550009999`,
    });
    expect(res.status).toBe(200);
    await res.text();
  };
  try {
    // Answered, so committed: the group commit settles a webhook only after its row is on disk.
    const BEFORE = 400;
    for (let i = 0; i < BEFORE; i += 8) await Promise.all(Array.from({ length: 8 }, (_, k) => call(i + k)));

    let next = BEFORE;
    let running = true;
    let answeredDuringBackup = 0;
    let backupRunning = false;
    // 8 callers at a time until the backup is done, at most 20,000 calls.
    const load = Promise.all(
      Array.from({ length: 8 }, async () => {
        while (running && next < 20_000) {
          await call(next++);
          if (backupRunning) answeredDuringBackup++;
        }
      }),
    );
    backupRunning = true;
    const run = await runCli(['backup', 'copy.db'], { DATABASE_PATH: databasePath }, dir);
    backupRunning = false;
    running = false;
    await load;

    const copy = path.join(dir, 'copy.db');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^backed up ${databasePath.replace(/[.]/g, '\\.')} to ${copy.replace(/[.]/g, '\\.')} \\(\\d+\\.\\d MB\\)\\n$`));
    expect(answeredDuringBackup).toBeGreaterThan(0);

    const db = new Database(copy, { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const inCopy = new Set(db.prepare<[], { sid: string }>('SELECT sid FROM calls').all().map((row) => row.sid));
      expect(Array.from({ length: BEFORE }, (_, i) => sid(i)).filter((s) => !inCopy.has(s))).toEqual([]);
      // Whatever else it holds is calls the server answered: nothing invented, nothing torn.
      expect(inCopy.size).toBeGreaterThanOrEqual(BEFORE);
      expect(inCopy.size).toBeLessThanOrEqual(next);
      expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    } finally {
      db.close();
    }
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
  }
}, 60_000);

describe('refusals, each one line', () => {
  const databasePath = () => path.join(dir, 'sb.db');
  beforeEach(() => {
    const db = new Database(databasePath());
    db.exec('CREATE TABLE t (x)');
    db.close();
  });

  test('an existing file is kept unless --force', async () => {
    fs.writeFileSync(path.join(dir, 'old.db'), 'precious');
    const env = { DATABASE_PATH: databasePath() };
    expect(await runCli(['backup', 'old.db'], env, dir)).toEqual({
      code: 1,
      stdout: '',
      stderr: `switchboard: ${path.join(dir, 'old.db')} already exists (pass --force to overwrite it)\n`,
    });
    expect(fs.readFileSync(path.join(dir, 'old.db'), 'utf8')).toBe('precious');
    const forced = await runCli(['backup', 'old.db', '--force'], env, dir);
    expect(forced.code).toBe(0);
    const db = new Database(path.join(dir, 'old.db'), { readonly: true });
    expect(db.prepare('SELECT name FROM sqlite_master').all()).toEqual([{ name: 't' }]);
    db.close();
    expect(fs.readdirSync(dir).filter((name) => name.includes('.partial-'))).toEqual([]);
  });

  test('no database, or no folder for the copy', async () => {
    expect(await runCli(['backup', 'x.db'], { DATABASE_PATH: path.join(dir, 'none.db') }, dir)).toEqual({
      code: 1,
      stdout: '',
      stderr: `switchboard: no database at ${path.join(dir, 'none.db')} (DATABASE_PATH)\n`,
    });
    expect(await runCli(['backup', 'missing/x.db'], { DATABASE_PATH: databasePath() }, dir)).toEqual({
      code: 1,
      stdout: '',
      stderr: `switchboard: cannot write ${path.join(dir, 'missing/x.db')}: its folder does not exist\n`,
    });
  });

  test('PostgreSQL: points at pg_dump, exit code 2, and never prints the URL', async () => {
    const run = await runCli(['backup', 'x.db'], { DATABASE_URL: 'postgres://switchboard:s3cret@db.internal/switchboard' }, dir);
    expect(run).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'switchboard: DATABASE_URL is set: this database is PostgreSQL, back it up with pg_dump, e.g. pg_dump --format=custom --file=switchboard.dump "$DATABASE_URL"\n',
    });
  });
});
