import fs from 'node:fs';
import type { Command } from 'commander';
import type { CliContext } from './context';
import { loadServerConfig } from './load-config';

export function registerCheckConfig(program: Command, ctx: CliContext): void {
  program
    .command('check-config')
    .description('validate the environment and the config file (CONFIG_PATH) with the errors the server gives at start-up')
    .addHelpText('after', '\nExit codes: 0 valid, 1 invalid (the reason is printed as one line).')
    .action(() => {
      const { config, settings } = loadServerConfig(ctx);
      const file = config.settingsFile.path;
      if (!fs.existsSync(file)) {
        ctx.out(`ok: no config file at ${file}; the built-in defaults apply\n`);
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
