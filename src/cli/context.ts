import type { Env } from '../config';
import { CliError } from './errors';

/** The environment variables the CLI reads, like the server does; nothing here reads process.env. */
export interface CliEnv {
  authToken: string | undefined;
  publicBaseUrl: string | undefined;
  apiKey: string | undefined;
  /** SWITCHBOARD_URL: where the server listens, for the simulators and the API wrappers. */
  serverUrl: string;
  accountSid: string | undefined;
  fromNumber: string | undefined;
  /** All of it, for `loadConfig`: check-config and twiml must read the config exactly as the server does. */
  raw: Env;
}

export interface CliContext {
  env: CliEnv;
  cwd: string;
  now(): Date;
  /** Standard output; errors are thrown as CliError and printed by the entry point. */
  out(text: string): void;
  /** Resolves when the user stops a long-running command (Ctrl-C, SIGTERM); absent: never. */
  untilStopped?(): Promise<void>;
}

export const DEFAULT_SERVER_URL = 'http://localhost:3000';

export function cliEnv(env: Env): CliEnv {
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  return {
    authToken: read('TWILIO_AUTH_TOKEN'),
    publicBaseUrl: read('PUBLIC_BASE_URL')?.replace(/\/+$/, ''),
    apiKey: read('API_KEY'),
    serverUrl: (read('SWITCHBOARD_URL') ?? DEFAULT_SERVER_URL).replace(/\/+$/, ''),
    accountSid: read('TWILIO_ACCOUNT_SID'),
    fromNumber: read('TWILIO_FROM_NUMBER'),
    raw: env,
  };
}

/** An absolute http(s) URL without a trailing slash, or a one-line error naming where it came from. */
export function httpUrl(value: string, source: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CliError(`${source} must be an absolute http(s) URL such as http://localhost:3000 (got "${value}")`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CliError(`${source} must use http or https (got "${url.protocol}")`);
  }
  return url.href;
}
