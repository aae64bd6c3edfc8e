import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from './context';
import { CliError } from './errors';

interface ReloadOptions {
  pidFile?: string;
  unit?: string;
}

/**
 * `switchboard reload`: SIGHUP to the running server, which reads its config file (CONFIG_PATH)
 * again. The server, not this command, decides whether the file is good: it logs the outcome.
 */
export function registerReload(program: Command, ctx: CliContext): void {
  program
    .command('reload')
    .description('make the running server read its config file (CONFIG_PATH) again, without a restart (SIGHUP)')
    .option('--pid-file <file>', 'the server\'s pid file (default: PID_FILE)')
    .option('--unit <name>', 'a systemd unit instead: runs `systemctl reload <name>`')
    .addHelpText(
      'after',
      '\nAn invalid file changes nothing: the server keeps its running config and logs the JSON path at fault.' +
        '\nValidate first with: switchboard check-config',
    )
    .action((options: ReloadOptions) => {
      if (options.unit !== undefined) return reloadUnit(options.unit, ctx);
      const file = options.pidFile ?? ctx.env.raw.PID_FILE?.trim();
      if (file === undefined || file === '') {
        throw new CliError('no server to signal: set PID_FILE as the server has it, or pass --pid-file FILE (or --unit switchboard under systemd)');
      }
      const pid = readPid(path.resolve(ctx.cwd, file));
      try {
        process.kill(pid, 'SIGHUP');
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ESRCH') throw new CliError(`no process ${pid} (from ${file}): is the server running?`);
        if (code === 'EPERM') throw new CliError(`not allowed to signal process ${pid}: run as the server's user or root`);
        throw new CliError(`cannot signal process ${pid}: ${(err as Error).message}`);
      }
      ctx.out(`sent SIGHUP to process ${pid}; the server logs "config file reloaded", or why it kept the running config\n`);
    });
}

function readPid(file: string): number {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file (is the server running?)' : (err as Error).message;
    throw new CliError(`cannot read pid file ${file}: ${reason}`);
  }
  if (!/^\d+\s*$/.test(text) || Number(text) < 2) throw new CliError(`pid file ${file} does not hold a process id`);
  return Number(text);
}

function reloadUnit(unit: string, ctx: CliContext): void {
  // systemd runs the unit's ExecReload (kill -HUP $MAINPID), as `systemctl reload` would by hand.
  const result = spawnSync('systemctl', ['reload', unit], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.error !== undefined) {
    const missing = (result.error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new CliError(missing ? 'systemctl not found: --unit needs systemd; use --pid-file instead' : `systemctl failed: ${result.error.message}`);
  }
  if (result.status !== 0) throw new CliError(`systemctl reload ${unit} failed (exit ${result.status ?? result.signal})`);
  ctx.out(`reloaded ${unit} (systemctl reload); the server logs "config file reloaded", or why it kept the running config\n`);
}
