import fs from 'node:fs';
import Database from 'better-sqlite3';

/** A backup that could not be taken; the message is one line and names the file at fault. */
export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

export interface BackupResult {
  /** Size of the copy in bytes. */
  bytes: number;
}

/**
 * Copies the SQLite database at `source` to `target` with SQLite's online backup API, on a
 * connection of its own, while the server keeps writing (WAL lets a reader and the writer run
 * side by side). The copy is one consistent snapshot: every page goes in a single step, one read
 * transaction, so it holds exactly what was committed when that step began. It is written beside
 * the target and moved into place only when complete, so a failed backup leaves no half file.
 */
export async function backupSqlite(source: string, target: string, options: { overwrite: boolean }): Promise<BackupResult> {
  if (!fs.existsSync(source)) throw new BackupError(`no database at ${source} (DATABASE_PATH)`);
  if (fs.existsSync(target) && !options.overwrite) throw new BackupError(`${target} already exists (pass --force to overwrite it)`);
  if (fs.existsSync(target) && fs.realpathSync(target) === fs.realpathSync(source)) throw new BackupError(`${target} is the database itself`);
  const partial = `${target}.partial-${process.pid}`;
  let db: Database.Database;
  try {
    db = new Database(source, { fileMustExist: true });
  } catch (err) {
    throw new BackupError(`cannot open database ${source}: ${(err as Error).message}`);
  }
  try {
    db.pragma('busy_timeout = 5000');
    fs.rmSync(partial, { force: true });
    // The first step only measures; returning the most pages there is makes the next one copy all.
    await db.backup(partial, { progress: () => 0x7fffffff });
    if (options.overwrite) {
      fs.renameSync(partial, target);
    } else {
      // A link fails if the target appeared meanwhile, where a rename would replace it.
      fs.linkSync(partial, target);
      fs.rmSync(partial);
    }
    return { bytes: fs.statSync(target).size };
  } catch (err) {
    fs.rmSync(partial, { force: true });
    if (err instanceof BackupError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new BackupError(`${target} already exists (pass --force to overwrite it)`);
    const reason = (err as Error).message.replace(/^Cannot save backup because the directory does not exist$/, 'its folder does not exist');
    throw new BackupError(`cannot write ${target}: ${reason}`);
  } finally {
    db.close();
  }
}
