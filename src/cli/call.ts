import type { Command } from 'commander';
import { defined, postApi } from './api-client';
import type { CliContext } from './context';
import { CliError } from './errors';

interface CallOptions {
  to: string;
  from?: string;
  say?: string;
  url?: string;
  twiml?: string;
  voice?: string;
  language?: string;
  server?: string;
  json?: boolean;
}

export function registerCall(program: Command, ctx: CliContext): void {
  program
    .command('call')
    .description("place an outbound call through the server's API (POST /api/calls, with API_KEY)")
    .requiredOption('--to <number>', 'the number to call, E.164')
    .option('--from <number>', 'our number (default: the server\'s TWILIO_FROM_NUMBER)')
    .option('--say <text>', 'what to say when answered')
    .option('--url <url>', 'a TwiML URL to run when answered')
    .option('--twiml <xml>', 'the TwiML to run when answered')
    .option('--voice <voice>', 'the voice for --say, such as Polly.Joanna')
    .option('--language <code>', 'the language for --say, such as en-GB')
    .option('--server <url>', 'the server (default: SWITCHBOARD_URL or http://localhost:3000)')
    .option('--json', "print the server's JSON answer")
    .action(async (options: CallOptions) => {
      const given = [options.say, options.url, options.twiml].filter((value) => value !== undefined);
      if (given.length > 1) throw new CliError('give only one of --say, --url and --twiml');
      const body = defined({
        to: options.to,
        from: options.from,
        say: options.say,
        url: options.url,
        twiml: options.twiml,
        voice: options.voice,
        language: options.language,
      });
      const call = await postApi(ctx, options.server, '/api/calls', body);
      ctx.out(options.json ? `${JSON.stringify(call, null, 2)}\n` : `call ${call.sid} ${call.status}: ${call.from ?? '?'} → ${call.to}\n`);
    });
}
