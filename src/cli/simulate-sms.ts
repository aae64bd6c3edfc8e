import type { Command } from 'commander';
import type { CliContext } from './context';
import { CliError } from './errors';
import { collect, isoTime, DEFAULT_FROM, DEFAULT_MAX_STEPS, DEFAULT_TO, positiveInt, sid } from './options';
import { fakeSid } from './sids';
import { unsignedHint, webhookTarget } from './simulate-target';
import { simulateSms } from './sms-simulator';

interface SimulateSmsOptions {
  url: string;
  publicUrl?: string;
  from: string;
  to: string;
  body: string;
  media?: string[];
  messageSid?: string;
  maxSteps: number;
  at?: Date;
  json?: boolean;
}

export function registerSimulateSms(simulate: Command, ctx: CliContext): void {
  simulate
    .command('sms')
    .description("play Twilio's part in an incoming text message against a running server: print the reply")
    .option('--body <text>', 'the message text', '')
    .option('--media <url>', 'an attached picture or file (repeat for several)', collect)
    .option('--url <url>', 'the messaging webhook to call', `${ctx.env.serverUrl}/sms`)
    .option('--public-url <url>', 'the base URL Twilio uses to reach the server; requests are signed for it (default: PUBLIC_BASE_URL)')
    .option('--from <number>', 'the sender', DEFAULT_FROM)
    .option('--to <number>', 'our number', ctx.env.fromNumber ?? DEFAULT_TO)
    .option('--message-sid <sid>', 'the MessageSid to use (default: a random SM…)', sid('SM'))
    .option('--max-steps <n>', 'requests allowed before the walk is cut', positiveInt, DEFAULT_MAX_STEPS)
    .option('--at <time>', 'the moment the server answers the message at, ISO 8601 (sent signed with TWILIO_AUTH_TOKEN; the server clock is not changed)', isoTime)
    .option('--json', 'print the whole exchange as JSON (see the README)')
    .action(async (options: SimulateSmsOptions) => {
      const { url, target } = webhookTarget(ctx, options.url, options.publicUrl, options.at);
      const result = await simulateSms({
        url,
        target,
        message: {
          messageSid: options.messageSid ?? fakeSid('SM'),
          accountSid: ctx.env.accountSid ?? fakeSid('AC'),
          from: options.from,
          to: options.to,
          body: options.body,
          mediaUrls: options.media ?? [],
        },
        maxSteps: options.maxSteps,
      });
      ctx.out(options.json ? `${JSON.stringify(result, null, 2)}\n` : `${result.transcript.join('\n')}\n`);
      if (result.outcome === 'error') throw new CliError(unsignedHint(result.error, target.authToken !== undefined) ?? 'error');
      if (result.outcome === 'max-steps') throw new CliError(result.error ?? 'too many steps', 2);
    });
}
