import fs from 'node:fs';
import type { Command } from 'commander';
import type { CliContext } from './context';
import { loadServerConfig } from './load-config';

export function registerCheckConfig(program: Command, ctx: CliContext): void {
  program
    .command('check-config')
    .description('validate the environment and the config file (CONFIG_PATH) with the errors the server gives at start-up')
    .addHelpText(
      'after',
      '\nExit codes: 0 valid, 1 invalid (the reason is printed as one line). Without CONFIG_PATH and without\n' +
        './switchboard.config.json only the environment is checked; that is 0 too, since the server starts\n' +
        'with the built-in defaults, and the line printed says no file was checked.',
    )
    .action(() => {
      const { config, settings } = loadServerConfig(ctx);
      const file = config.settingsFile.path;
      // Only reachable without CONFIG_PATH: a CONFIG_PATH naming a missing file fails above. Not
      // "ok": a user who meant to check their file must not read this as their file passing.
      if (!fs.existsSync(file)) {
        ctx.out(`no config file checked: CONFIG_PATH is not set and there is no ${file} (the built-in defaults apply; the environment is valid)\n`);
        return;
      }
      const nodes = Object.keys(settings.voice.nodes).length;
      const keywords = Object.keys(settings.sms.keywords ?? {}).length;
      ctx.out(
        `ok: ${file}: ${plural(nodes, 'voice node')}, calls start at "${settings.voice.start}", ${plural(keywords, 'SMS keyword')}\n`,
      );
    });
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
