import { Option, type Command } from 'commander';
import { DIAL_STATUSES, simulateCall, type DialStatus } from './call-simulator';
import type { CliContext } from './context';
import { CliError } from './errors';
import { commaList, isoTime, DEFAULT_FROM, DEFAULT_MAX_STEPS, DEFAULT_TO, positiveInt, sid } from './options';
import { fakeSid } from './sids';
import { unsignedHint, webhookTarget } from './simulate-target';
import { publicUrlFor, type WebhookTarget } from './webhook-client';
import { httpUrl } from './context';

interface SimulateCallOptions {
  url: string;
  publicUrl?: string;
  from: string;
  to: string;
  digits?: string[];
  speech?: string[];
  dialStatus: DialStatus;
  callSid?: string;
  maxSteps: number;
  at?: Date;
  /** A URL, `false` for --no-status-callback, or `true` (default: /status/call of the --url server). */
  statusCallback: string | boolean;
  json?: boolean;
}

export function registerSimulateCall(simulate: Command, ctx: CliContext): void {
  simulate
    .command('call')
    .description("play Twilio's part in an incoming call against a running server: print what the caller hears")
    .option('--url <url>', 'the voice webhook to call', `${ctx.env.serverUrl}/voice`)
    .option('--public-url <url>', 'the base URL Twilio uses to reach the server; requests are signed for it (default: PUBLIC_BASE_URL)')
    .option('--from <number>', 'the caller', DEFAULT_FROM)
    .option('--to <number>', 'the number called', ctx.env.fromNumber ?? DEFAULT_TO)
    .option('--digits <list>', 'keys pressed at each <Gather>, comma-separated: 2,1 (an empty entry stays silent)', commaList)
    .option('--speech <list>', 'words said at each <Gather>, comma-separated: "sales" (digits win when both are given)', commaList)
    .addOption(new Option('--dial-status <status>', 'how each <Dial> ends').choices(DIAL_STATUSES).default('completed'))
    .option('--call-sid <sid>', 'the CallSid to use (default: a random CA…)', sid('CA'))
    .option('--max-steps <n>', 'requests allowed before the walk is cut', positiveInt, DEFAULT_MAX_STEPS)
    .option('--at <time>', 'the moment the server evaluates business hours at, ISO 8601 (sent signed with TWILIO_AUTH_TOKEN; the server clock is not changed)', isoTime)
    .option('--status-callback <url>', 'where the call-ended status callback goes (default: /status/call on the --url server)')
    .option('--no-status-callback', 'end the call without a status callback (the history keeps the call ringing)')
    .option('--json', 'print the whole exchange as JSON (see the README)')
    .addHelpText(
      'after',
      '\nExit codes: 0 the call ended (hangup, reject, end of document), 1 an error, 2 cut by --max-steps.',
    )
    .action(async (options: SimulateCallOptions) => {
      const { url, target } = webhookTarget(ctx, options.url, options.publicUrl, options.at);
      const statusCallback = statusCallbackUrl(options.statusCallback, url, target);
      const result = await simulateCall({
        url,
        target,
        call: {
          callSid: options.callSid ?? fakeSid('CA'),
          accountSid: ctx.env.accountSid ?? fakeSid('AC'),
          from: options.from,
          to: options.to,
        },
        digits: options.digits ?? [],
        speech: options.speech ?? [],
        dialStatus: options.dialStatus,
        maxSteps: options.maxSteps,
        ...(statusCallback !== undefined && { statusCallback }),
      });
      ctx.out(options.json ? `${JSON.stringify(result, null, 2)}\n` : `${result.transcript.join('\n')}\n`);
      if (result.outcome === 'error') throw new CliError(unsignedHint(result.error, target.authToken !== undefined) ?? 'error');
      if (result.outcome === 'max-steps') throw new CliError(result.error ?? 'too many steps', 2);
    });
}

/** The public URL of the status callback: as given, or the server's own route, as Twilio would call it. */
function statusCallbackUrl(option: string | boolean, url: string, target: WebhookTarget): string | undefined {
  if (option === false) return undefined;
  if (typeof option === 'string') {
    // Like --url: an address of the server itself is signed for its public URL; any other as it is.
    const given = new URL(httpUrl(option, '--status-callback')).href;
    return new URL(given).origin === new URL(url).origin ? publicUrlFor(target, given) : given;
  }
  return publicUrlFor(target, new URL('/status/call', url).href);
}
