import fs from 'node:fs';
import path from 'node:path';
import dotenv from 'dotenv';
import { ConfigError, loadConfig, twilioCredentials } from '../src/config';

const SID = 'AC' + 'a'.repeat(32);
const TOKEN = 'f'.repeat(32);

function errorOf(env: Record<string, string>): string {
  try {
    loadConfig(env, '/srv');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  test('gives safe defaults for an empty environment', () => {
    const config = loadConfig({}, '/srv');
    expect(config).toEqual({
      env: 'development',
      port: 3000,
      host: '0.0.0.0',
      publicBaseUrl: undefined,
      twilio: {
        accountSid: undefined,
        authToken: undefined,
        apiKeySid: undefined,
        apiKeySecret: undefined,
        fromNumber: undefined,
        messagingServiceSid: undefined,
        apiBaseUrl: 'https://api.twilio.com',
      },
      apiKey: undefined,
      apiRateLimit: 120,
      messagesPerSecond: 1,
      reconcile: { intervalSeconds: 60, giveUpSeconds: 900 },
      client: { twimlAppSid: undefined, tokenTtlSeconds: 3600, dialPattern: undefined },
      databasePath: path.resolve('/srv', 'data/switchboard.db'),
      postgres: undefined,
      workers: 1,
      settingsFile: { path: path.resolve('/srv', 'switchboard.config.json'), explicit: false },
      webhookValidation: true,
      trustProxy: false,
      logLevel: 'info',
      twimlets: { echo: false, holdMusicEndpoint: 'https://s3.amazonaws.com' },
      smtp: undefined,
      metrics: { enabled: true, token: undefined },
      pidFile: undefined,
      historyRetentionDays: undefined,
      warnings: ['TWILIO_AUTH_TOKEN is not set: webhook signatures are NOT checked (development mode only)'],
    });
  });

  test('reads every variable', () => {
    const config = loadConfig(
      {
        NODE_ENV: 'production',
        PORT: '8080',
        HOST: '127.0.0.1',
        PUBLIC_BASE_URL: 'https://switchboard.example.com/',
        TWILIO_ACCOUNT_SID: SID,
        TWILIO_AUTH_TOKEN: TOKEN,
        TWILIO_API_KEY_SID: 'SK' + 'b'.repeat(32),
        TWILIO_API_KEY_SECRET: 'secret',
        TWILIO_FROM_NUMBER: '+15005550006',
        TWILIO_MESSAGING_SERVICE_SID: 'MG' + 'c'.repeat(32),
        TWILIO_API_BASE_URL: 'http://127.0.0.1:9999',
        API_KEY: 'k'.repeat(32),
        MESSAGES_PER_SECOND: '2.5',
        RECONCILE_INTERVAL_S: '30',
        RECONCILE_GIVE_UP_S: '3600',
        API_RATE_LIMIT: '600',
        DATABASE_PATH: '/var/lib/switchboard/db.sqlite',
        CONFIG_PATH: 'conf/flows.json',
        WEBHOOK_VALIDATION: 'true',
        TRUST_PROXY: 'yes',
        LOG_LEVEL: 'debug',
        METRICS_ENABLED: 'false',
        METRICS_TOKEN: 'm'.repeat(32),
        PID_FILE: 'run/switchboard.pid',
        HISTORY_RETENTION_DAYS: '90',
      },
      '/srv',
    );
    expect(config.env).toBe('production');
    expect(config.port).toBe(8080);
    expect(config.host).toBe('127.0.0.1');
    expect(config.publicBaseUrl).toBe('https://switchboard.example.com');
    expect(config.twilio.apiBaseUrl).toBe('http://127.0.0.1:9999');
    expect(config.twilio.fromNumber).toBe('+15005550006');
    expect(config.messagesPerSecond).toBe(2.5);
    expect(config.reconcile).toEqual({ intervalSeconds: 30, giveUpSeconds: 3600 });
    expect(config.apiRateLimit).toBe(600);
    expect(config.databasePath).toBe('/var/lib/switchboard/db.sqlite');
    expect(config.settingsFile).toEqual({ path: '/srv/conf/flows.json', explicit: true });
    expect(config.trustProxy).toBe(true);
    expect(config.logLevel).toBe('debug');
    expect(config.metrics).toEqual({ enabled: false, token: 'm'.repeat(32) });
    expect(config.pidFile).toBe('/srv/run/switchboard.pid');
    expect(config.historyRetentionDays).toBe(90);
    expect(config.warnings).toEqual([]);
  });

  test('returns a deeply frozen object', () => {
    const config = loadConfig({}, '/srv');
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.twilio)).toBe(true);
    expect(Object.isFrozen(config.warnings)).toBe(true);
  });

  test.each([
    [{ PORT: 'eighty' }, 'PORT must be an integer from 0 to 65535 (got "eighty")'],
    [{ PORT: '70000' }, 'PORT must be an integer from 0 to 65535 (got "70000")'],
    [{ PORT: '-1' }, 'PORT must be an integer from 0 to 65535 (got "-1")'],
    [{ PUBLIC_BASE_URL: 'example.com' }, 'PUBLIC_BASE_URL must be an absolute http(s) URL such as https://example.com (got "example.com")'],
    [{ PUBLIC_BASE_URL: 'ftp://example.com' }, 'PUBLIC_BASE_URL must use http or https (got "ftp:")'],
    [{ PUBLIC_BASE_URL: 'https://example.com/?a=1' }, 'PUBLIC_BASE_URL must not contain credentials, a query or a fragment'],
    [{ TWILIO_ACCOUNT_SID: 'AC123' }, 'TWILIO_ACCOUNT_SID must be "AC" followed by 32 hexadecimal characters'],
    [{ TWILIO_API_KEY_SID: 'SK' + '1'.repeat(32) }, 'TWILIO_API_KEY_SECRET must be set when TWILIO_API_KEY_SID is set'],
    [{ TWILIO_API_KEY_SECRET: 'x' }, 'TWILIO_API_KEY_SID must be set when TWILIO_API_KEY_SECRET is set'],
    [{ TWILIO_API_KEY_SID: 'AC' + '1'.repeat(32), TWILIO_API_KEY_SECRET: 'x' }, 'TWILIO_API_KEY_SID must be "SK" followed by 32 hexadecimal characters'],
    [{ TWILIO_FROM_NUMBER: '555-1234' }, 'TWILIO_FROM_NUMBER must be an E.164 number such as +15551234567 (got "555-1234")'],
    [{ TWILIO_MESSAGING_SERVICE_SID: 'MG1' }, 'TWILIO_MESSAGING_SERVICE_SID must be "MG" followed by 32 hexadecimal characters'],
    [{ TWILIO_API_BASE_URL: 'nope' }, 'TWILIO_API_BASE_URL must be an absolute http(s) URL such as https://example.com (got "nope")'],
    [{ API_KEY: 'short' }, 'API_KEY must be at least 16 characters (try: openssl rand -hex 32)'],
    [{ METRICS_TOKEN: 'short' }, 'METRICS_TOKEN must be at least 16 characters (try: openssl rand -hex 32)'],
    [{ METRICS_ENABLED: 'sometimes' }, 'METRICS_ENABLED must be true or false (got "sometimes")'],
    [{ HISTORY_RETENTION_DAYS: '0' }, 'HISTORY_RETENTION_DAYS must be a whole number of days from 1 to 3650 (got "0")'],
    [{ HISTORY_RETENTION_DAYS: '7.5' }, 'HISTORY_RETENTION_DAYS must be a whole number of days from 1 to 3650 (got "7.5")'],
    [{ HISTORY_RETENTION_DAYS: '-3' }, 'HISTORY_RETENTION_DAYS must be a whole number of days from 1 to 3650 (got "-3")'],
    [{ HISTORY_RETENTION_DAYS: 'forever' }, 'HISTORY_RETENTION_DAYS must be a whole number of days from 1 to 3650 (got "forever")'],
    [{ MESSAGES_PER_SECOND: '0' }, 'MESSAGES_PER_SECOND must be a number above 0 and at most 10000 (got "0")'],
    [{ MESSAGES_PER_SECOND: 'fast' }, 'MESSAGES_PER_SECOND must be a number above 0 and at most 10000 (got "fast")'],
    [{ MESSAGES_PER_SECOND: '10001' }, 'MESSAGES_PER_SECOND must be a number above 0 and at most 10000 (got "10001")'],
    [{ RECONCILE_INTERVAL_S: '0' }, 'RECONCILE_INTERVAL_S must be a whole number of seconds from 1 to 3600 (got "0")'],
    [{ RECONCILE_INTERVAL_S: '1.5' }, 'RECONCILE_INTERVAL_S must be a whole number of seconds from 1 to 3600 (got "1.5")'],
    [{ RECONCILE_GIVE_UP_S: '59' }, 'RECONCILE_GIVE_UP_S must be a whole number of seconds from 60 to 604800 (got "59")'],
    [{ RECONCILE_GIVE_UP_S: 'soon' }, 'RECONCILE_GIVE_UP_S must be a whole number of seconds from 60 to 604800 (got "soon")'],
    [{ API_RATE_LIMIT: '0' }, 'API_RATE_LIMIT must be a whole number of requests per minute from 1 to 1000000 (got "0")'],
    [{ API_RATE_LIMIT: '1.5' }, 'API_RATE_LIMIT must be a whole number of requests per minute from 1 to 1000000 (got "1.5")'],
    [{ API_RATE_LIMIT: '1000001' }, 'API_RATE_LIMIT must be a whole number of requests per minute from 1 to 1000000 (got "1000001")'],
    [{ WEBHOOK_VALIDATION: 'maybe' }, 'WEBHOOK_VALIDATION must be true or false (got "maybe")'],
    [{ TRUST_PROXY: '2' }, 'TRUST_PROXY must be true or false (got "2")'],
    [{ LOG_LEVEL: 'verbose' }, 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "verbose")'],
    [
      { NODE_ENV: 'production' },
      'TWILIO_AUTH_TOKEN must be set when NODE_ENV=production, so that webhooks can be validated (or set WEBHOOK_VALIDATION=false)',
    ],
  ])('refuses %j with one line naming the variable', (env, message) => {
    const text = errorOf(env);
    expect(text).toBe(message);
    expect(text).not.toContain('\n');
  });

  test('never puts a secret in an error message', () => {
    const text = errorOf({ TWILIO_API_KEY_SID: 'SKnot-a-sid', TWILIO_API_KEY_SECRET: 'hunter2-secret' });
    expect(text).not.toContain('hunter2-secret');
  });

  test('production may run without a token only when validation is explicitly off, with a warning', () => {
    const config = loadConfig({ NODE_ENV: 'production', WEBHOOK_VALIDATION: 'false' }, '/srv');
    expect(config.webhookValidation).toBe(false);
    expect(config.warnings).toEqual(['WEBHOOK_VALIDATION=false: anyone who knows the URL can call the webhooks']);
  });

  test('treats blank values as unset', () => {
    expect(loadConfig({ PORT: '  ', TWILIO_ACCOUNT_SID: '' }, '/srv').port).toBe(3000);
  });
});

describe('loadConfig: twimlets and mail', () => {
  test('reads TWIMLETS_ECHO, HOLDMUSIC_BUCKET_ENDPOINT, SMTP_URL and SMTP_FROM', () => {
    const config = loadConfig({
      TWIMLETS_ECHO: 'true',
      HOLDMUSIC_BUCKET_ENDPOINT: 'http://127.0.0.1:9000/',
      SMTP_URL: 'smtps://vm:s3cret@mail.example.com:465',
      SMTP_FROM: 'voicemail@example.com',
    });
    expect(config.twimlets).toEqual({ echo: true, holdMusicEndpoint: 'http://127.0.0.1:9000' });
    expect(config.smtp).toEqual({ url: 'smtps://vm:s3cret@mail.example.com:465', from: 'voicemail@example.com' });
  });

  test('SMTP_FROM defaults to switchboard@localhost', () => {
    expect(loadConfig({ SMTP_URL: 'smtp://127.0.0.1:2525' }).smtp).toEqual({ url: 'smtp://127.0.0.1:2525', from: 'switchboard@localhost' });
  });

  test.each([
    ['TWIMLETS_ECHO', 'maybe', 'TWIMLETS_ECHO must be true or false (got "maybe")'],
    ['HOLDMUSIC_BUCKET_ENDPOINT', 'ftp://example.com', 'HOLDMUSIC_BUCKET_ENDPOINT must use http or https (got "ftp:")'],
    ['SMTP_URL', 'http://mail.example.com', 'SMTP_URL must use smtp:// or smtps:// (got "http://")'],
    ['SMTP_URL', 'not a url', 'SMTP_URL must be a URL such as smtp://user:password@mail.example.com:587'],
    ['SMTP_FROM', 'nobody', 'SMTP_FROM must be an e-mail address (got "nobody")'],
  ])('%s=%s is refused', (variable, value, message) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(new ConfigError(variable, message.slice(variable.length + 1)));
  });

  test('an SMTP password never appears in the error', () => {
    let message = '';
    try {
      loadConfig({ SMTP_URL: 'imap://user:hunter2-secret@mail.example.com' });
    } catch (err) {
      message = String(err);
    }
    expect(message).toContain('SMTP_URL');
    expect(message).not.toContain('hunter2');
  });
});

describe('loadConfig: PostgreSQL', () => {
  test.each([
    ['postgres://app:pw@db.internal:6543/switchboard', 'db.internal:6543/switchboard'],
    ['postgresql://app@10.0.0.5/calls?sslmode=require', '10.0.0.5:5432/calls'],
  ])('DATABASE_URL=%s selects PostgreSQL, shown as %s', (url, display) => {
    expect(loadConfig({ DATABASE_URL: url }, '/srv').postgres).toEqual({ url, display, poolSize: 10 });
  });

  test('DATABASE_POOL_SIZE sets the pool; without DATABASE_URL it is SQLite', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://h/db', DATABASE_POOL_SIZE: '25' }, '/srv').postgres?.poolSize).toBe(25);
    expect(loadConfig({ DATABASE_POOL_SIZE: '25' }, '/srv').postgres).toBeUndefined();
  });

  test.each([
    ['DATABASE_URL', 'not a url hunter2-secret', 'must be a URL such as postgres://user:password@host:5432/database'],
    ['DATABASE_URL', 'mysql://app:hunter2-secret@db/x', 'must use postgres:// or postgresql:// (got "mysql://"); unset it to use SQLite at DATABASE_PATH'],
    ['DATABASE_URL', 'postgres://app:hunter2-secret@db.internal:5432', 'must name one database after the host, as in postgres://user:password@host:5432/database'],
    ['DATABASE_URL', 'postgres://app:hunter2-secret@db.internal:99999/db', 'must be a URL such as postgres://user:password@host:5432/database'],
    ['DATABASE_URL', 'postgres:///db?password=hunter2-secret', 'must name the server host, as in postgres://user:password@host:5432/database'],
    ['DATABASE_POOL_SIZE', '0', 'must be a whole number of connections from 1 to 1000 (got "0")'],
    ['DATABASE_POOL_SIZE', 'lots', 'must be a whole number of connections from 1 to 1000 (got "lots")'],
  ])('%s=%s is refused with one line, never the password', (variable, value, message) => {
    const text = errorOf({ [variable]: value });
    expect(text).toBe(`${variable} ${message}`);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('\n');
  });
});

describe('loadConfig: WORKERS and DATABASE_URL', () => {
  const PG = 'postgres://switchboard:hunter2@db.example.com:5432/switchboard';

  test('WORKERS defaults to 1, a single process; 1 is allowed with SQLite', () => {
    expect(loadConfig({}, '/srv', 8).workers).toBe(1);
    expect(loadConfig({ WORKERS: '1' }, '/srv', 8).workers).toBe(1);
    expect(loadConfig({ WORKERS: 'auto' }, '/srv', 1).workers).toBe(1);
  });

  test('with DATABASE_URL, WORKERS is a count or auto, one per core', () => {
    expect(loadConfig({ WORKERS: '3', DATABASE_URL: PG }, '/srv', 8)).toMatchObject({ workers: 3, postgres: { url: PG, display: 'db.example.com:5432/switchboard', poolSize: 10 } });
    expect(loadConfig({ WORKERS: 'auto', DATABASE_URL: PG }, '/srv', 8).workers).toBe(8);
    expect(loadConfig({ WORKERS: 'AUTO', DATABASE_URL: PG }, '/srv', 2).workers).toBe(2);
  });

  test.each([
    [{ WORKERS: '2' }, 'WORKERS must be 1 with SQLite (got 2): SQLite allows one process writing its file; set DATABASE_URL to use PostgreSQL'],
    [
      { WORKERS: 'auto' },
      'WORKERS must be 1 with SQLite (got auto, 4 cores): SQLite allows one process writing its file; set DATABASE_URL to use PostgreSQL',
    ],
    [{ WORKERS: '0', DATABASE_URL: PG }, 'WORKERS must be a whole number from 1 to 256, or auto for one per core (got "0")'],
    [{ WORKERS: '2.5', DATABASE_URL: PG }, 'WORKERS must be a whole number from 1 to 256, or auto for one per core (got "2.5")'],
    [{ WORKERS: '257', DATABASE_URL: PG }, 'WORKERS must be a whole number from 1 to 256, or auto for one per core (got "257")'],
    [{ WORKERS: 'many', DATABASE_URL: PG }, 'WORKERS must be a whole number from 1 to 256, or auto for one per core (got "many")'],
    [{ DATABASE_URL: 'postgres:///switchboard' }, 'DATABASE_URL must name the server host, as in postgres://user:password@host:5432/database'],
  ])('%j is refused with one line', (env, message) => {
    expect(() => loadConfig(env, '/srv', 4)).toThrow(new ConfigError(message.split(' ')[0] ?? '', message.slice(message.indexOf(' ') + 1)));
  });

  test('accepts postgresql:// and a local socket given as ?host=', () => {
    expect(loadConfig({ DATABASE_URL: 'postgresql://db/switchboard' }, '/srv').postgres?.url).toBe('postgresql://db/switchboard');
    expect(loadConfig({ DATABASE_URL: 'postgres:///switchboard?host=/run/postgresql' }, '/srv').postgres).toEqual({
      url: 'postgres:///switchboard?host=/run/postgresql',
      display: '/run/postgresql:5432/switchboard',
      poolSize: 10,
    });
  });

  test('the password in DATABASE_URL is never in an error message', () => {
    expect(errorOf({ DATABASE_URL: 'mysql://u:hunter2@db/x' })).not.toContain('hunter2');
    expect(errorOf({ DATABASE_URL: 'u:hunter2@db' })).not.toContain('hunter2');
  });
});

describe('twilioCredentials', () => {
  test('names what is missing', () => {
    expect(twilioCredentials(loadConfig({}, '/srv'))).toEqual({ missing: ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN'] });
    expect(twilioCredentials(loadConfig({ TWILIO_ACCOUNT_SID: SID }, '/srv'))).toEqual({ missing: ['TWILIO_AUTH_TOKEN'] });
  });

  test('accepts an API key instead of the auth token', () => {
    const config = loadConfig(
      { TWILIO_ACCOUNT_SID: SID, TWILIO_API_KEY_SID: 'SK' + 'b'.repeat(32), TWILIO_API_KEY_SECRET: 's3' },
      '/srv',
    );
    expect(twilioCredentials(config)).toEqual({
      accountSid: SID,
      authToken: undefined,
      apiKeySid: 'SK' + 'b'.repeat(32),
      apiKeySecret: 's3',
    });
  });
});

describe('.env.example', () => {
  test('loads as it ships, and copying it changes no default', () => {
    const parsed = dotenv.parse(fs.readFileSync(path.resolve(__dirname, '../.env.example')));
    expect(loadConfig(parsed, '/srv')).toEqual(loadConfig({}, '/srv'));
  });
});
