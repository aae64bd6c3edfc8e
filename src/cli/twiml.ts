import type { Command } from 'commander';
import { VoiceFlow } from '../flows/voice-flow';
import type { CliContext } from './context';
import { CliError } from './errors';
import { loadServerConfig } from './load-config';
import { isoTime } from './options';

interface TwimlOptions {
  at?: Date;
}

export function registerTwiml(program: Command, ctx: CliContext): void {
  program
    .command('twiml')
    .description('print the TwiML a node of the config file answers with (a dry run: nothing is called)')
    .argument('[node]', 'the node name; inline nodes are named after their place, such as main.9 (default: the start)')
    .option('--at <time>', 'the moment to evaluate business hours at, ISO 8601 (default: now)', isoTime)
    .addHelpText('after', '\nThe URLs in the TwiML are absolute when PUBLIC_BASE_URL is set, as the server writes them.')
    .action((node: string | undefined, options: TwimlOptions) => {
      const { config, settings } = loadServerConfig(ctx);
      const name = node ?? settings.voice.start;
      const flow = new VoiceFlow(settings.voice, config.publicBaseUrl);
      if (!flow.has(name)) {
        const known = Object.keys(settings.voice.nodes).sort().join(', ');
        throw new CliError(`no node is named "${name}" (the nodes are: ${known})`);
      }
      ctx.out(`${flow.step(name, options.at ?? ctx.now())}\n`);
    });
}
