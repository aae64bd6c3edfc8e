import { InvalidArgumentError, Option, type Command } from 'commander';
import { startSandbox } from '../sandbox';
import { ANSWERED_BY, type AnsweredBy } from '../sandbox/amd';
import { sandboxCredentials } from '../sandbox/credentials';
import { lineLog } from '../sandbox/log';
import { locateTwilioSpec, TwilioSpecNotFoundError } from '../sandbox/spec-file';
import { DIAL_STATUSES, RECORDING_SCRIPTS, type DialStatus, type RecordingScript } from './call-simulator';
import { httpUrl, type CliContext } from './context';
import { CliError } from './errors';
import { commaList, DEFAULT_FROM, DEFAULT_MAX_STEPS, positiveInt } from './options';

interface SandboxOptions {
  port: number;
  host: string;
  json?: boolean;
  stepMs: number;
  voiceUrl: string;
  smsUrl: string;
  from: string;
  to: string;
  digits?: string[];
  speech?: string[];
  dialStatus: DialStatus;
  answeredBy: AnsweredBy;
  recording: RecordingScript;
  maxSteps: number;
}

export const DEFAULT_SANDBOX_PORT = 4010;
/** Long enough to watch a message go queued → delivered, short enough not to wait for it. */
export const DEFAULT_STEP_MS = 500;
/** Twilio's magic number that passes every check: the inbound calls' and texts' default To. */
const MAGIC_VALID_NUMBER = '+15005550006';

function portNumber(raw: string): number {
  if (!/^\d{1,5}$/.test(raw) || Number(raw) > 65535) throw new InvalidArgumentError('must be a port number from 0 to 65535');
  return Number(raw);
}

function milliseconds(raw: string): number {
  if (!/^\d{1,6}$/.test(raw)) throw new InvalidArgumentError('must be a whole number of milliseconds (0 to 999999)');
  return Number(raw);
}

export function registerSandbox(program: Command, ctx: CliContext): void {
  // Twilio calls the app at its public URL, and the app checks signatures against that URL.
  const appUrl = ctx.env.publicBaseUrl ?? ctx.env.serverUrl;
  program
    .command('sandbox')
    .description("serve Twilio's REST API for calls and messages locally, and play Twilio's part: callbacks, TwiML, inbound calls and texts")
    .addOption(new Option('--port <n>', 'port to listen on').argParser(portNumber).default(DEFAULT_SANDBOX_PORT))
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--json', 'one JSON line per event instead of readable lines')
    .addOption(new Option('--step-ms <ms>', 'pause between two steps of a call or message').argParser(milliseconds).default(DEFAULT_STEP_MS))
    .option('--voice-url <url>', 'the voice webhook inbound calls go to', `${appUrl}/voice`)
    .option('--sms-url <url>', 'the SMS webhook inbound texts go to', `${appUrl}/sms`)
    .option('--from <number>', 'who inbound calls and texts come from', DEFAULT_FROM)
    .option('--to <number>', 'the number inbound calls and texts are for', ctx.env.fromNumber ?? MAGIC_VALID_NUMBER)
    .option('--digits <list>', 'keys pressed at each <Gather>, comma-separated (default: none, the Gather times out)', commaList)
    .option('--speech <list>', 'words said at each <Gather>, comma-separated', commaList)
    .addOption(new Option('--dial-status <status>', 'how each <Dial> ends').choices(DIAL_STATUSES).default('completed'))
    .addOption(new Option('--answered-by <who>', 'who answers calls made with MachineDetection (AnsweredBy)').choices(ANSWERED_BY).default('human'))
    .addOption(new Option('--recording <what>', 'what the callee leaves at each <Record>').choices(RECORDING_SCRIPTS).default('message'))
    .option('--max-steps <n>', 'TwiML requests a call may make before it is cut', positiveInt, DEFAULT_MAX_STEPS)
    .addHelpText(
      'after',
      '\nCredentials: TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN (and optionally TWILIO_API_KEY_SID/SECRET), from the environment or .env.' +
        '\nPoint the server at it with TWILIO_API_BASE_URL=http://127.0.0.1:4010. See docs/sandbox.md.',
    )
    .action(async (options: SandboxOptions) => {
      const found = sandboxCredentials(ctx.env.raw);
      if (!found.ok) throw new CliError(found.problem);
      let specFile: string;
      try {
        specFile = locateTwilioSpec(ctx.env.raw);
      } catch (err) {
        if (err instanceof TwilioSpecNotFoundError) throw new CliError(err.message);
        throw err;
      }
      let sandbox: Awaited<ReturnType<typeof startSandbox>>;
      try {
        sandbox = await startSandbox({
          credentials: found.credentials,
          host: options.host,
          port: options.port,
          specFile,
          stepMs: options.stepMs,
          maxSteps: options.maxSteps,
          inbound: {
            voiceUrl: httpUrl(options.voiceUrl, '--voice-url'),
            smsUrl: httpUrl(options.smsUrl, '--sms-url'),
            from: options.from,
            to: options.to,
          },
          script: {
            digits: options.digits ?? [],
            speech: options.speech ?? [],
            dialStatus: options.dialStatus,
            answeredBy: options.answeredBy,
            recording: options.recording,
          },
          now: ctx.now,
          log: lineLog(ctx.out, options.json === true, ctx.now),
        });
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EADDRINUSE') throw new CliError(`${options.host}:${options.port} is already in use (try --port)`);
        if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new CliError(`cannot listen on ${options.host} (try --host 127.0.0.1)`);
        throw err;
      }
      if (ctx.untilStopped === undefined) return;
      await ctx.untilStopped();
      await sandbox.server.close();
    });
}
