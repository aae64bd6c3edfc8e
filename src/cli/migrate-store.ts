import path from 'node:path';
import type { Command } from 'commander';
import { copySqliteToPostgres } from '../store/migrate-store';
import { StoreError } from '../store/errors';
import type { CliContext } from './context';
import { CliError } from './errors';

export function registerMigrateStore(program: Command, ctx: CliContext): void {
  program
    .command('migrate-store')
    .description('copy a SQLite store (history, opt-outs, outbox, bulk jobs, idempotency keys) into an empty PostgreSQL database, in one transaction')
    .requiredOption('--from <sqlite:path>', 'the SQLite file, e.g. sqlite:./data/switchboard.db')
    .requiredOption('--to <postgres-url>', 'postgres://user:password@host:5432/database (created tables, or none yet; no rows)')
    .addHelpText(
      'after',
      '\nStop the server first. A target that already holds rows is refused, as is one an instance is using; the SQLite file is only read.' +
        '\nPrints one line: the rows copied per table. The password is never printed. Exit codes: 0 copied, 1 nothing copied (the reason is printed).',
    )
    .action(async (options: { from: string; to: string }) => {
      const source = sqlitePath(options.from, ctx.cwd);
      const target = postgresUrl(options.to);
      try {
        const result = await copySqliteToPostgres(source, target);
        ctx.out(`copied ${options.from} to ${result.target}: ${result.rows.map((r) => `${r.table} ${r.rows}`).join(', ')}\n`);
      } catch (err) {
        if (err instanceof StoreError) throw new CliError(err.message);
        throw err;
      }
    });
}

function sqlitePath(from: string, cwd: string): string {
  const match = /^sqlite:(.+)$/.exec(from);
  if (match === null) throw new CliError(`--from must be sqlite:<path> (got "${from.slice(0, 40)}")`);
  return path.resolve(cwd, match[1] as string);
}

function postgresUrl(to: string): string {
  // Only the scheme is echoed back: the rest of the URL may hold the password.
  if (!/^postgres(ql)?:\/\//.test(to)) throw new CliError(`--to must be a postgres:// or postgresql:// URL (got "${to.split(':')[0]}:")`);
  return to;
}
