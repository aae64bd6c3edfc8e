import path from 'node:path';
import type { Command } from 'commander';
import { ConfigError, loadConfig } from '../config';
import { BackupError, backupSqlite } from '../store/sqlite-backup';
import type { CliContext } from './context';
import { CliError } from './errors';

/** `switchboard backup <file>`: a consistent copy of the SQLite database while the server runs. */
export function registerBackup(program: Command, ctx: CliContext): void {
  program
    .command('backup')
    .description('copy the SQLite database (DATABASE_PATH) to <file>, consistently, while the server keeps running')
    .argument('<file>', 'where to write the copy; must not exist unless --force')
    .option('--force', 'overwrite <file> if it exists')
    .addHelpText(
      'after',
      '\nRestore: stop the server, copy the file to DATABASE_PATH, delete DATABASE_PATH-wal and DATABASE_PATH-shm, start.' +
        '\nWith DATABASE_URL (PostgreSQL) use pg_dump instead.',
    )
    .action(async (file: string, options: { force?: boolean }) => {
      if (ctx.env.raw.DATABASE_URL?.trim()) {
        // The URL holds a password: it is named, never printed.
        throw new CliError(
          'DATABASE_URL is set: this database is PostgreSQL, back it up with pg_dump, e.g. pg_dump --format=custom --file=switchboard.dump "$DATABASE_URL"',
          2,
        );
      }
      let databasePath: string;
      try {
        databasePath = loadConfig(ctx.env.raw, ctx.cwd).databasePath;
      } catch (err) {
        if (err instanceof ConfigError) throw new CliError(`configuration error: ${err.message}`);
        throw err;
      }
      const target = path.resolve(ctx.cwd, file);
      try {
        const { bytes } = await backupSqlite(databasePath, target, { overwrite: options.force === true });
        ctx.out(`backed up ${databasePath} to ${target} (${(bytes / 1024 / 1024).toFixed(1)} MB)\n`);
      } catch (err) {
        if (err instanceof BackupError) throw new CliError(err.message);
        throw err;
      }
    });
}
