import os from 'node:os';
import path from 'node:path';
import { describeDatabase } from './store/postgres-url';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface TwilioCredentials {
  readonly accountSid: string;
  readonly authToken: string | undefined;
  readonly apiKeySid: string | undefined;
  readonly apiKeySecret: string | undefined;
}

export interface Config {
  readonly env: 'production' | 'development' | 'test';
  readonly port: number;
  readonly host: string;
  /** The https origin Twilio uses to reach this server, without a trailing slash. */
  readonly publicBaseUrl: string | undefined;
  readonly twilio: {
    readonly accountSid: string | undefined;
    readonly authToken: string | undefined;
    readonly apiKeySid: string | undefined;
    readonly apiKeySecret: string | undefined;
    readonly fromNumber: string | undefined;
    readonly messagingServiceSid: string | undefined;
    readonly apiBaseUrl: string;
  };
  readonly apiKey: string | undefined;
  /** Requests per minute per API key (and per client IP without a valid key); also the burst. */
  readonly apiRateLimit: number;
  /** Bulk sends per second per sender (number or messaging service); Twilio long codes allow 1. */
  readonly messagesPerSecond: number;
  /** Looking up unknown outcomes at Twilio: seconds between passes, and seconds without a match
   * (since the outcome became unknown) after which a request is `not_sent`. */
  readonly reconcile: { readonly intervalSeconds: number; readonly giveUpSeconds: number };
  /** Twilio Client: browser calling through the TwiML App. */
  readonly client: ClientConfig;
  /** The embedded SQLite file, used when `postgres` is undefined. */
  readonly databasePath: string;
  /** A shared PostgreSQL database (DATABASE_URL), for several instances; undefined: SQLite. */
  readonly postgres: PostgresConfig | undefined;
  /** Worker processes (node:cluster) sharing the port; 1 is a single process, no cluster. */
  readonly workers: number;
  /** The config file of flows and replies, and whether CONFIG_PATH named it (then it must exist). */
  readonly settingsFile: { readonly path: string; readonly explicit: boolean };
  readonly webhookValidation: boolean;
  readonly trustProxy: boolean;
  readonly logLevel: LogLevel;
  readonly twimlets: {
    /** `/twimlets/echo` answers any TwiML it is given, so it is off unless asked for. */
    readonly echo: boolean;
    /** S3-compatible endpoint that `/twimlets/holdmusic?Bucket=` lists (path style). */
    readonly holdMusicEndpoint: string;
  };
  /** Outgoing mail (voicemail notifications); undefined when SMTP_URL is not set. The URL may hold a password. */
  readonly smtp: { readonly url: string; readonly from: string } | undefined;
  /** `GET /metrics` (Prometheus): off only when METRICS_ENABLED=false, which also stops the counting. */
  readonly metrics: {
    readonly enabled: boolean;
    /** The bearer token scrapers present; undefined falls back to API_KEY. A secret. */
    readonly token: string | undefined;
  };
  /** Written with the server's pid at start and removed at stop, for `switchboard reload`. */
  readonly pidFile: string | undefined;
  /** Calls, messages, events, voicemails and finished outbox rows older than this are pruned; undefined keeps everything. */
  readonly historyRetentionDays: number | undefined;
  /** Start-up notes the server logs once: insecure but allowed settings. */
  readonly warnings: readonly string[];
}

export interface PostgresConfig {
  /** The connection URL as given. It may hold a password: never log it, show `display`. */
  readonly url: string;
  /** "host:port/database", for messages and logs. */
  readonly display: string;
  readonly poolSize: number;
}

export interface ClientConfig {
  /** The TwiML App (AP...) whose Voice URL is /voice/client; outgoing browser calls go through it. */
  readonly twimlAppSid: string | undefined;
  /** Lifetime of an access token, and the most a caller may ask for. */
  readonly tokenTtlSeconds: number;
  /**
   * The numbers a browser may dial, as a regular expression source (anchored). Undefined when
   * neither CLIENT_DIAL_PATTERN nor TWILIO_FROM_NUMBER is set: then no number can be dialled.
   */
  readonly dialPattern: string | undefined;
}

export type Env = Readonly<Record<string, string | undefined>>;

/** A bad setting. The message is one line, names the variable, and never contains a secret. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const E164 = /^\+[1-9]\d{1,14}$/;
const MIN_API_KEY_LENGTH = 16;
/** Twilio refuses access tokens valid for longer than a day. */
export const MAX_CLIENT_TOKEN_TTL = 86_400;
const MIN_CLIENT_TOKEN_TTL = 60;

/** `cores` is what WORKERS=auto resolves to; a parameter so that tests need no particular machine. */
export function loadConfig(env: Env, cwd: string = process.cwd(), cores: number = os.availableParallelism()): Config {
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };

  const nodeEnv = read('NODE_ENV');
  const mode = nodeEnv === 'production' || nodeEnv === 'test' ? nodeEnv : 'development';
  const warnings: string[] = [];

  const accountSid = sid(read, 'TWILIO_ACCOUNT_SID', 'AC');
  const authToken = read('TWILIO_AUTH_TOKEN');
  const apiKeySid = sid(read, 'TWILIO_API_KEY_SID', 'SK');
  const apiKeySecret = read('TWILIO_API_KEY_SECRET');
  if ((apiKeySid === undefined) !== (apiKeySecret === undefined)) {
    const missing = apiKeySid === undefined ? 'TWILIO_API_KEY_SID' : 'TWILIO_API_KEY_SECRET';
    const other = apiKeySid === undefined ? 'TWILIO_API_KEY_SECRET' : 'TWILIO_API_KEY_SID';
    throw new ConfigError(missing, `must be set when ${other} is set`);
  }

  const fromNumber = read('TWILIO_FROM_NUMBER');
  if (fromNumber !== undefined && !E164.test(fromNumber)) {
    throw new ConfigError('TWILIO_FROM_NUMBER', `must be an E.164 number such as +15551234567 (got "${fromNumber}")`);
  }

  const apiKey = secretToken(read, 'API_KEY');

  const webhookValidation = bool(read, 'WEBHOOK_VALIDATION', true);
  if (webhookValidation && authToken === undefined) {
    // Without the token no signature can be checked, so every webhook would be refused.
    if (mode === 'production') {
      throw new ConfigError(
        'TWILIO_AUTH_TOKEN',
        'must be set when NODE_ENV=production, so that webhooks can be validated (or set WEBHOOK_VALIDATION=false)',
      );
    }
    warnings.push('TWILIO_AUTH_TOKEN is not set: webhook signatures are NOT checked (development mode only)');
  }
  if (!webhookValidation) {
    warnings.push('WEBHOOK_VALIDATION=false: anyone who knows the URL can call the webhooks');
  }

  const logLevel = read('LOG_LEVEL') ?? 'info';
  if (!isLogLevel(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')} (got "${logLevel}")`);
  }

  const database = postgres(read);

  const config: Config = {
    env: mode,
    port: port(read('PORT')),
    host: read('HOST') ?? '0.0.0.0',
    publicBaseUrl: baseUrl(read, 'PUBLIC_BASE_URL'),
    twilio: {
      accountSid,
      authToken,
      apiKeySid,
      apiKeySecret,
      fromNumber,
      messagingServiceSid: sid(read, 'TWILIO_MESSAGING_SERVICE_SID', 'MG'),
      apiBaseUrl: baseUrl(read, 'TWILIO_API_BASE_URL') ?? 'https://api.twilio.com',
    },
    apiKey,
    apiRateLimit: apiRateLimit(read('API_RATE_LIMIT')),
    messagesPerSecond: rate(read('MESSAGES_PER_SECOND')),
    reconcile: {
      intervalSeconds: seconds(read, 'RECONCILE_INTERVAL_S', 60, { min: 1, max: 3_600 }),
      giveUpSeconds: seconds(read, 'RECONCILE_GIVE_UP_S', 900, { min: 60, max: 604_800 }),
    },
    client: {
      twimlAppSid: sid(read, 'TWILIO_TWIML_APP_SID', 'AP'),
      tokenTtlSeconds: tokenTtl(read('CLIENT_TOKEN_TTL')),
      dialPattern: dialPattern(read('CLIENT_DIAL_PATTERN'), fromNumber),
    },
    databasePath: path.resolve(cwd, read('DATABASE_PATH') ?? 'data/switchboard.db'),
    postgres: database,
    workers: workers(read('WORKERS'), cores, database),
    settingsFile: {
      path: path.resolve(cwd, read('CONFIG_PATH') ?? 'switchboard.config.json'),
      explicit: read('CONFIG_PATH') !== undefined,
    },
    webhookValidation,
    trustProxy: bool(read, 'TRUST_PROXY', false),
    logLevel,
    twimlets: {
      echo: bool(read, 'TWIMLETS_ECHO', false),
      holdMusicEndpoint: baseUrl(read, 'HOLDMUSIC_BUCKET_ENDPOINT') ?? 'https://s3.amazonaws.com',
    },
    smtp: smtp(read),
    metrics: { enabled: bool(read, 'METRICS_ENABLED', true), token: secretToken(read, 'METRICS_TOKEN') },
    pidFile: optionalPath(read, 'PID_FILE', cwd),
    historyRetentionDays: retentionDays(read('HISTORY_RETENTION_DAYS')),
    warnings,
  };
  return deepFreeze(config);
}

/** The credentials the REST client needs, or the names of the variables still missing. */
export function twilioCredentials(config: Config): TwilioCredentials | { missing: string[] } {
  const { accountSid, authToken, apiKeySid, apiKeySecret } = config.twilio;
  const missing: string[] = [];
  if (accountSid === undefined) missing.push('TWILIO_ACCOUNT_SID');
  if (authToken === undefined && apiKeySid === undefined) missing.push('TWILIO_AUTH_TOKEN');
  if (accountSid === undefined || missing.length > 0) return { missing };
  return { accountSid, authToken, apiKeySid, apiKeySecret };
}

type Read = (name: string) => string | undefined;

function port(raw: string | undefined): number {
  if (raw === undefined) return 3000;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value > 65535) {
    throw new ConfigError('PORT', `must be an integer from 0 to 65535 (got "${raw}")`);
  }
  return value;
}

const MAX_WORKERS = 256;

function workers(raw: string | undefined, cores: number, database: PostgresConfig | undefined): number {
  if (raw === undefined) return 1;
  const count = raw.toLowerCase() === 'auto' ? cores : Number(raw);
  if (raw.toLowerCase() !== 'auto' && (!/^\d+$/.test(raw) || count < 1 || count > MAX_WORKERS)) {
    throw new ConfigError('WORKERS', `must be a whole number from 1 to ${MAX_WORKERS}, or auto for one per core (got "${raw}")`);
  }
  // SQLite lets one process at a time write its file, and the store batches its writes in one
  // process (group commit): a second process would wait on the lock or fail with SQLITE_BUSY.
  if (count > 1 && database === undefined) {
    const got = raw.toLowerCase() === 'auto' ? `auto, ${count} cores` : raw;
    throw new ConfigError(
      'WORKERS',
      `must be 1 with SQLite (got ${got}): SQLite allows one process writing its file; set DATABASE_URL to use PostgreSQL`,
    );
  }
  return Math.min(count, MAX_WORKERS);
}

const MAX_MESSAGES_PER_SECOND = 10_000;

function rate(raw: string | undefined): number {
  if (raw === undefined) return 1;
  const value = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || value <= 0 || value > MAX_MESSAGES_PER_SECOND) {
    throw new ConfigError('MESSAGES_PER_SECOND', `must be a number above 0 and at most ${MAX_MESSAGES_PER_SECOND.toFixed(0)} (got "${raw}")`);
  }
  return value;
}

/** A whole number of seconds within bounds. */
function seconds(read: Read, name: string, fallback: number, bounds: { min: number; max: number }): number {
  const raw = read(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < bounds.min || value > bounds.max) {
    throw new ConfigError(name, `must be a whole number of seconds from ${bounds.min} to ${bounds.max} (got "${raw}")`);
  }
  return value;
}

const MAX_API_RATE_LIMIT = 1_000_000;

function apiRateLimit(raw: string | undefined): number {
  if (raw === undefined) return 120;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < 1 || value > MAX_API_RATE_LIMIT) {
    throw new ConfigError('API_RATE_LIMIT', `must be a whole number of requests per minute from 1 to ${MAX_API_RATE_LIMIT} (got "${raw}")`);
  }
  return value;
}

/** A bearer token: long enough not to be guessed. */
function secretToken(read: Read, name: string): string | undefined {
  const value = read(name);
  if (value !== undefined && value.length < MIN_API_KEY_LENGTH) {
    throw new ConfigError(name, `must be at least ${MIN_API_KEY_LENGTH} characters (try: openssl rand -hex 32)`);
  }
  return value;
}

function optionalPath(read: Read, name: string, cwd: string): string | undefined {
  const value = read(name);
  return value === undefined ? undefined : path.resolve(cwd, value);
}

/** Ten years: a larger figure is a typo, and day arithmetic on it would leave the date range. */
const MAX_RETENTION_DAYS = 3650;

function retentionDays(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < 1 || value > MAX_RETENTION_DAYS) {
    throw new ConfigError('HISTORY_RETENTION_DAYS', `must be a whole number of days from 1 to ${MAX_RETENTION_DAYS} (got "${raw}")`);
  }
  return value;
}

function tokenTtl(raw: string | undefined): number {
  if (raw === undefined) return 3600;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < MIN_CLIENT_TOKEN_TTL || value > MAX_CLIENT_TOKEN_TTL) {
    throw new ConfigError(
      'CLIENT_TOKEN_TTL',
      `must be a number of seconds from ${MIN_CLIENT_TOKEN_TTL} to ${MAX_CLIENT_TOKEN_TTL} (got "${raw}")`,
    );
  }
  return value;
}

/** An explicit pattern must compile and match whole numbers; otherwise the caller ID's country decides. */
function dialPattern(raw: string | undefined, fromNumber: string | undefined): string | undefined {
  if (raw === undefined) return fromNumber === undefined ? undefined : defaultDialPattern(fromNumber);
  if (!raw.startsWith('^') || !raw.endsWith('$')) {
    throw new ConfigError('CLIENT_DIAL_PATTERN', 'must start with ^ and end with $, so that it matches whole numbers');
  }
  try {
    new RegExp(raw);
  } catch (err) {
    throw new ConfigError('CLIENT_DIAL_PATTERN', `is not a valid regular expression: ${(err as Error).message}`);
  }
  return raw;
}

/**
 * Numbers in the caller ID's own country. E.164 country codes are prefix-free: 1 and 7 are the
 * only one-digit codes, the two-digit ones are listed here, and every other code has three digits.
 */
const TWO_DIGIT_COUNTRY_CODES = new Set([
  '20', '27', '30', '31', '32', '33', '34', '36', '39', '40', '41', '43', '44', '45', '46', '47', '48', '49',
  '51', '52', '53', '54', '55', '56', '57', '58', '60', '61', '62', '63', '64', '65', '66',
  '81', '82', '84', '86', '90', '91', '92', '93', '94', '95', '98',
]);

export function countryCode(e164: string): string {
  const digits = e164.slice(1);
  if (digits.startsWith('1') || digits.startsWith('7')) return digits.slice(0, 1);
  if (TWO_DIGIT_COUNTRY_CODES.has(digits.slice(0, 2))) return digits.slice(0, 2);
  return digits.slice(0, 3);
}

export function defaultDialPattern(fromNumber: string): string {
  const cc = countryCode(fromNumber);
  // NANP: a three-digit area code and exchange, neither starting with 0 or 1.
  if (cc === '1') return '^\\+1[2-9]\\d{2}[2-9]\\d{6}$';
  return `^\\+${cc}\\d{4,${15 - cc.length}}$`;
}

function sid(read: Read, name: string, prefix: string): string | undefined {
  const value = read(name);
  if (value !== undefined && !new RegExp(`^${prefix}[0-9a-fA-F]{32}$`).test(value)) {
    throw new ConfigError(name, `must be "${prefix}" followed by 32 hexadecimal characters`);
  }
  return value;
}

function bool(read: Read, name: string, fallback: boolean): boolean {
  const value = read(name)?.toLowerCase();
  if (value === undefined) return fallback;
  if (['true', '1', 'yes', 'on'].includes(value)) return true;
  if (['false', '0', 'no', 'off'].includes(value)) return false;
  throw new ConfigError(name, `must be true or false (got "${value}")`);
}

function baseUrl(read: Read, name: string): string | undefined {
  const value = read(name);
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(name, `must be an absolute http(s) URL such as https://example.com (got "${value}")`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(name, `must use http or https (got "${url.protocol}")`);
  }
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new ConfigError(name, 'must not contain credentials, a query or a fragment');
  }
  return url.href.replace(/\/+$/, '');
}

const MAX_POOL_SIZE = 1000;

function postgres(read: Read): Config['postgres'] {
  const rawSize = read('DATABASE_POOL_SIZE');
  const poolSize = rawSize === undefined ? 10 : Number(rawSize);
  if (rawSize !== undefined && (!/^\d+$/.test(rawSize) || poolSize < 1 || poolSize > MAX_POOL_SIZE)) {
    throw new ConfigError('DATABASE_POOL_SIZE', `must be a whole number of connections from 1 to ${MAX_POOL_SIZE} (got "${rawSize}")`);
  }
  const value = read('DATABASE_URL');
  if (value === undefined) return undefined;
  // The URL may carry a password: no message below repeats the value.
  const example = 'postgres://user:password@host:5432/database';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError('DATABASE_URL', `must be a URL such as ${example}`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError('DATABASE_URL', `must use postgres:// or postgresql:// (got "${url.protocol}//"); unset it to use SQLite at DATABASE_PATH`);
  }
  // postgres:///db?host=/run/postgresql is libpq's spelling of a local socket.
  if (url.hostname === '' && !url.searchParams.has('host')) {
    throw new ConfigError('DATABASE_URL', `must name the server host, as in ${example}`);
  }
  const database = safeDecode(url.pathname.slice(1));
  if (database === undefined || database === '' || database.includes('/')) {
    throw new ConfigError('DATABASE_URL', `must name one database after the host, as in ${example}`);
  }
  return { url: value, display: describeDatabase(value), poolSize };
}

function safeDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

const EMAIL_ADDRESS = /^[^\s@<>"]+@[^\s@<>"]+$/;

function smtp(read: Read): Config['smtp'] {
  const from = read('SMTP_FROM') ?? 'switchboard@localhost';
  if (!EMAIL_ADDRESS.test(from)) throw new ConfigError('SMTP_FROM', `must be an e-mail address (got "${from}")`);
  const value = read('SMTP_URL');
  if (value === undefined) return undefined;
  // The URL may carry a password: no message below repeats it.
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError('SMTP_URL', 'must be a URL such as smtp://user:password@mail.example.com:587');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new ConfigError('SMTP_URL', `must use smtp:// or smtps:// (got "${url.protocol}//")`);
  }
  if (url.hostname === '') throw new ConfigError('SMTP_URL', 'must name a mail server host');
  return { url: value, from };
}

function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (child !== null && typeof child === 'object') deepFreeze(child as object);
  }
  return Object.freeze(value);
}
