import cluster from 'node:cluster';
import fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import dotenv from 'dotenv';
import { createApp } from './app';
import { onDrainRequest } from './cluster/drain';
import { runPrimary } from './cluster/primary';
import { systemClock } from './clock';
import { ConfigError, loadConfig, twilioCredentials, type Config } from './config';
import { createLogger, stdoutDestination, type Logger } from './logger';
import { loadSettingsFile, SettingsError, type Settings } from './settings';
import { Outbox } from './outbox';
import { openStore, StoreError, type Store } from './store';
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
  // With several workers the primary says it once, rather than each worker again.
  if (!cluster.isWorker) for (const warning of config.warnings) logger.warn(warning);

  // WORKERS > 1: this process only supervises, and each worker runs this file again down to serve().
  if (config.workers > 1 && cluster.isPrimary) {
    const code = await runPrimary({ workers: config.workers, logger });
    logger.flush();
    process.exit(code);
  }
  await serve(config, settings, logger);
}

/** One process serving HTTP: the whole server when WORKERS=1, else one cluster worker. */
async function serve(config: Config, settings: Settings, logger: Logger): Promise<void> {
  let store: Store;
  try {
    store = await openStore(config, systemClock);
  } catch (err) {
    fail(err instanceof StoreError ? `database error: ${err.message}` : String(err));
  }

  const twilio = twilioClient(config, logger);
  let outbox: Outbox | undefined;
  if (twilio !== undefined) {
    outbox = new Outbox({
      store,
      twilio,
      clock: systemClock,
      logger,
      messagesPerSecond: config.messagesPerSecond,
      reconcileIntervalMs: config.reconcile.intervalSeconds * 1000,
      reconcileGiveUpMs: config.reconcile.giveUpSeconds * 1000,
    });
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
  let signals = 0;
  const stop = (cause: NodeJS.Signals | 'primary') => {
    // Only a second signal cuts the drain short. A cluster worker may get the primary's drain
    // request as well as the signal itself (systemd and Ctrl-C signal every process), in either order.
    if (cause !== 'primary' && ++signals > 1) {
      logger.warn({ signal: cause }, 'second signal: exiting now');
      process.exit(1);
    }
    if (stopping) return;
    stopping = true;
    logger.info(cause === 'primary' ? { requestedBy: 'primary' } : { signal: cause }, 'shutting down: finishing in-flight requests');
    void shutdown(server, store, outbox, logger).then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  onDrainRequest(() => stop('primary'));
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
