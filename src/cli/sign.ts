import { InvalidArgumentError, type Command } from 'commander';
import { computeTwilioSignature } from '../security/twilio-signature';
import { httpUrl, type CliContext } from './context';
import { CliError } from './errors';

interface SignOptions {
  url: string;
  data?: Array<[string, string]>;
}

export function registerSign(program: Command, ctx: CliContext): void {
  program
    .command('sign')
    .description('print the X-Twilio-Signature of a request, signed with TWILIO_AUTH_TOKEN (for curl)')
    .requiredOption('--url <url>', 'the URL Twilio would request, query included; a path (/voice) is joined to PUBLIC_BASE_URL or SWITCHBOARD_URL')
    .option('-d, --data <Key=Value>', 'a form parameter of the POST, unencoded (repeat for each)', pair)
    .addHelpText(
      'after',
      [
        '',
        'Example:',
        '  curl http://localhost:3000/voice \\',
        '    -H "X-Twilio-Signature: $(switchboard sign --url /voice -d From=+15555550100 -d CallSid=CA0123…)" \\',
        '    --data-urlencode From=+15555550100 --data-urlencode CallSid=CA0123…',
        'Pass the same parameters to curl with --data-urlencode, so the server decodes exactly what was signed.',
      ].join('\n'),
    )
    .action((options: SignOptions) => {
      const token = ctx.env.authToken;
      if (token === undefined) throw new CliError('TWILIO_AUTH_TOKEN is not set: there is nothing to sign with');
      const base = ctx.env.publicBaseUrl ?? ctx.env.serverUrl;
      // Signed exactly as given: the server compares against the URL it was sent, not a normalised one.
      const url = options.url.startsWith('/') ? base + options.url : options.url;
      httpUrl(url, '--url');
      ctx.out(`${computeTwilioSignature(token, url, options.data ?? [])}\n`);
    });
}

function pair(raw: string, previous: Array<[string, string]> = []): Array<[string, string]> {
  const equals = raw.indexOf('=');
  if (equals <= 0) throw new InvalidArgumentError('must be Key=Value');
  return [...previous, [raw.slice(0, equals), raw.slice(equals + 1)]];
}
