import fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import dotenv from 'dotenv';
import { createApp } from './app';
import { systemClock } from './clock';
import { ConfigError, loadConfig, twilioCredentials, type Config } from './config';
import { createLogger, stdoutDestination, type Logger } from './logger';
import { loadSettingsFile, SettingsError, type Settings } from './settings';
import { Outbox } from './outbox';
import { openPostgresStore, openSqliteStore, StoreError, type Store } from './store';
import { createTwilioClient, type TwilioClient } from './twilio';

/** How long in-flight requests get to finish after SIGTERM before their connections are cut. */
const SHUTDOWN_GRACE_MS = 10_000;

async function main(): Promise<void> {
  // The only place that reads the environment. A .env file is optional.
  if (fs.existsSync('.env')) dotenv.config({ path: '.env', quiet: true });

  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    fail(err instanceof ConfigError ? `configuration error: ${err.message}` : String(err));
  }
  let settings: Settings;
  try {
    settings = loadSettingsFile(config.settingsFile.path, config.settingsFile.explicit);
  } catch (err) {
    fail(err instanceof SettingsError ? `configuration error: ${err.message}` : String(err));
  }
  const logger = createLogger(config.logLevel, stdoutDestination());
  for (const warning of config.warnings) logger.warn(warning);

  let store: Store;
  try {
    store = config.postgres
      ? await openPostgresStore({ url: config.postgres.url, poolSize: config.postgres.poolSize }, systemClock)
      : openSqliteStore(config.databasePath, systemClock);
  } catch (err) {
    fail(err instanceof StoreError ? `database error: ${err.message}` : String(err));
  }

  const twilio = twilioClient(config, logger);
  let outbox: Outbox | undefined;
  if (twilio !== undefined) {
    outbox = new Outbox({ store, twilio, clock: systemClock, logger, messagesPerSecond: config.messagesPerSecond });
    // Recovery runs before listening, so no live request can be taken for an interrupted one.
    try {
      const interrupted = await outbox.start();
      if (interrupted.length > 0) logger.warn({ count: interrupted.length }, 'outbound requests interrupted by the last stop are marked unknown');
    } catch (err) {
      fail(`database error: ${(err as Error).message}`);
    }
  }
  const app = createApp({ config, store, twilio, clock: systemClock, logger, settings, ...(outbox && { outbox }) });
  const server = app.listen(config.port, config.host);
  server.on('listening', () => {
    const { port } = server.address() as AddressInfo;
    // The PostgreSQL URL may hold a password: only host:port/database is logged.
    logger.info({ host: config.host, port, database: config.postgres?.display ?? config.databasePath }, 'switchboard listening');
  });
  server.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EADDRINUSE') fail(`port ${config.port} is already in use (set PORT to another port)`);
    if (err.code === 'EACCES') {
      fail(`no permission to listen on port ${config.port} (ports below 1024 need root or CAP_NET_BIND_SERVICE)`);
    }
    fail(`cannot listen on ${config.host}:${config.port}: ${err.message}`);
  });

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    void shutdown(server, store, outbox, logger).then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

async function shutdown(server: Server, store: Store, outbox: Outbox | undefined, logger: Logger): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // A keep-alive connection whose request has just finished would hold `close` open until it
  // times out (5 s); closing idle connections as they appear ends each one right after its response.
  const sweeper = setInterval(() => server.closeIdleConnections(), 100);
  server.closeIdleConnections();
  const timer = setTimeout(() => {
    logger.warn({ graceMs: SHUTDOWN_GRACE_MS }, 'in-flight requests did not finish in time; closing connections');
    server.closeAllConnections();
  }, SHUTDOWN_GRACE_MS);
  timer.unref();
  await closed;
  clearTimeout(timer);
  clearInterval(sweeper);
  // The bulk runner finishes the send it is in (recording its outcome) before the database closes.
  await outbox?.stop();
  await store.close();
  logger.info('stopped');
  logger.flush();
}

function twilioClient(config: Config, logger: Logger): TwilioClient | undefined {
  const credentials = twilioCredentials(config);
  if ('missing' in credentials) {
    logger.warn({ missing: credentials.missing }, 'Twilio credentials not set: the outbound API is disabled');
    return undefined;
  }
  return createTwilioClient({
    baseUrl: config.twilio.apiBaseUrl,
    accountSid: credentials.accountSid,
    ...(credentials.authToken !== undefined && { authToken: credentials.authToken }),
    ...(credentials.apiKeySid !== undefined && { apiKeySid: credentials.apiKeySid, apiKeySecret: credentials.apiKeySecret }),
  });
}

function fail(message: string): never {
  process.stderr.write(`switchboard: ${message}\n`);
  process.exit(1);
}

void main();
