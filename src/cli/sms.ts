import type { Command } from 'commander';
import { defined, postApi } from './api-client';
import type { CliContext } from './context';
import { collect } from './options';

interface SmsOptions {
  to: string;
  from?: string;
  body?: string;
  media?: string[];
  server?: string;
  json?: boolean;
}

export function registerSms(program: Command, ctx: CliContext): void {
  program
    .command('sms')
    .description("send a text message through the server's API (POST /api/messages, with API_KEY)")
    .requiredOption('--to <number>', 'the recipient, E.164')
    .option('--from <number>', "our number (default: the server's TWILIO_FROM_NUMBER or messaging service)")
    .option('--body <text>', 'the text')
    .option('--media <url>', 'a picture or file to attach (repeat for several)', collect)
    .option('--server <url>', 'the server (default: SWITCHBOARD_URL or http://localhost:3000)')
    .option('--json', "print the server's JSON answer")
    .action(async (options: SmsOptions) => {
      const media = options.media;
      const body = defined({
        to: options.to,
        from: options.from,
        body: options.body,
        // One URL as a string, several as a list.
        mediaUrl: media === undefined ? undefined : media.length === 1 ? media[0] : media,
      });
      const message = await postApi(ctx, options.server, '/api/messages', body);
      ctx.out(
        options.json ? `${JSON.stringify(message, null, 2)}\n` : `message ${message.sid} ${message.status}: ${message.from ?? '?'} → ${message.to}\n`,
      );
    });
}
