import { Command } from 'commander';
import { registerCall } from './call';
import { registerCheckConfig } from './check-config';
import { registerFlow } from './flow';
import type { CliContext } from './context';
import { registerBackup } from './backup';
import { registerReload } from './reload';
import { registerSandbox } from './sandbox';
import { registerMigrateStore } from './migrate-store';
import { registerSign } from './sign';
import { registerSimulateCall } from './simulate-call';
import { registerSimulateSms } from './simulate-sms';
import { registerSms } from './sms';
import { registerTwiml } from './twiml';

export interface ProgramOutput {
  writeOut(text: string): void;
  writeErr(text: string): void;
}

/**
 * The command tree. Commander does not exit: usage errors and --help come back as a
 * CommanderError carrying the exit code, so the entry point alone ends the process.
 */
export function buildProgram(ctx: CliContext, output: ProgramOutput): Command {
  const program = new Command('switchboard')
    .description('Switchboard from the command line: simulate Twilio against your server, check the config, call the API')
    .exitOverride()
    .configureOutput({
      writeOut: output.writeOut,
      writeErr: output.writeErr,
      // One line, also when commander adds a suggestion on a line of its own.
      outputError: (text, write) => write(`switchboard: ${text.replace(/^error: /, '').trim().replace(/\s*\n\s*/g, ' ')}\n`),
    })
    .showSuggestionAfterError(true);

  const simulate = program
    .command('simulate')
    .description('play Twilio against a running server, without a phone')
    .addHelpText('after', '\nEnvironment: SWITCHBOARD_URL, TWILIO_AUTH_TOKEN (to sign), PUBLIC_BASE_URL (what to sign for).');
  registerSimulateCall(simulate, ctx);
  registerSimulateSms(simulate, ctx);
  registerTwiml(program, ctx);
  registerCheckConfig(program, ctx);
  registerFlow(program, ctx);
  registerCall(program, ctx);
  registerSms(program, ctx);
  registerSign(program, ctx);
  registerReload(program, ctx);
  registerBackup(program, ctx);
  registerSandbox(program, ctx);
  registerMigrateStore(program, ctx);
  return program;
}
