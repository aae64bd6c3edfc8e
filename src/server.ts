import cluster from 'node:cluster';
import fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import dotenv from 'dotenv';
import { createApp } from './app';
import { onDrainRequest } from './cluster/drain';
import { joinClusterMetrics } from './cluster/metrics-worker';
import { runPrimary } from './cluster/primary';
import { appServer } from './http/app-server';
import { systemClock } from './clock';
import { ConfigError, loadConfig, twilioCredentials, type Config } from './config';
import { createLogger, stdoutDestination, type Logger } from './logger';
import { createMetrics, instrumentTwilioHttp, type Metrics } from './metrics';
import { loadSettingsFile, reloadSettings, SettingsError, SettingsHolder, type Settings } from './settings';
import { Outbox } from './outbox';
import { Pruner } from './retention/pruner';
import { openStore, StoreError, type Store } from './store';
import { createHttpRequester, createTwilioClient, type TwilioClient } from './twilio';

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
  const root = createLogger(config.logLevel, stdoutDestination());
  // The workers share the primary's stdout: each line says which process wrote it (the primary
  // logs each worker's pid as it starts).
  const logger = cluster.isWorker ? root.child({ pid: process.pid }) : root;
  // With several workers the primary says it once, rather than each worker again.
  if (!cluster.isWorker) for (const warning of config.warnings) logger.warn(warning);

  // WORKERS > 1: this process only supervises, and each worker runs this file again down to serve().
  if (config.workers > 1 && cluster.isPrimary) {
    const { pidFile } = config;
    const code = await runPrimary({
      workers: config.workers,
      logger,
      // The primary's pid is the one to signal: it forwards SIGHUP to every worker. Written once all
      // workers listen (each has its SIGHUP handler by then), as a single server writes it once listening.
      ...(pidFile !== undefined && { onListening: () => writePidFile(pidFile) }),
    });
    if (pidFile !== undefined) removePidFile(pidFile);
    logger.flush();
    process.exit(code);
  }
  await serve(config, settings, logger);
}

/** One process serving HTTP: the whole server when WORKERS=1, else one cluster worker. */
async function serve(config: Config, settings: Settings, logger: Logger): Promise<void> {
  const settingsHolder = new SettingsHolder(settings);
  // `switchboard reload`, `systemctl reload switchboard`: the config file again, no restart. Set
  // first: in a cluster the primary forwards SIGHUP to every live worker, starting ones included,
  // and without a handler a SIGHUP ends the process. Each worker reloads its own copy, once.
  process.on('SIGHUP', () => reloadSettings(config.settingsFile, settingsHolder, logger));

  // One registry for the process, made before the store so that its commits are timed.
  const metrics = config.metrics.enabled ? createMetrics() : undefined;
  let store: Store;
  try {
    store = await openStore(config, systemClock, { ...(metrics && { onCommit: metrics.observeCommit }) });
  } catch (err) {
    fail(err instanceof StoreError ? `database error: ${err.message}` : String(err));
  }

  const twilio = twilioClient(config, logger, metrics);
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
  // Every process that serves runs the pruner, in a cluster each worker, rather than electing one
  // (worker.id === 1 is gone once that worker is replaced; an IPC hand-over must follow every
  // restart), and several instances on one database prune side by side anyway. That is correct
  // because a batch deletes whichever rows are older than the cutoff at that moment: pruners
  // running at once split the same rows between them, none deleted twice, and with nothing old
  // left a run is one indexed query per kind. Each paces only its own batches, so while a large
  // backlog goes, pruning takes a larger share of the database's time with more workers; such a
  // backlog is a one-off (the first runs after retention is turned on).
  const retentionDays = config.historyRetentionDays;
  const pruner = retentionDays === undefined ? undefined : new Pruner({ store, clock: systemClock, logger, retentionDays });
  pruner?.start();
  // A cluster worker answers the primary's requests for its metrics, and its /metrics asks the primary for everyone's.
  const clusterScrape = metrics && cluster.isWorker ? joinClusterMetrics(metrics.registry) : undefined;
  const app = createApp({
    config,
    store,
    twilio,
    clock: systemClock,
    logger,
    settings: settingsHolder,
    ...(outbox && { outbox }),
    ...(metrics && { metrics }),
    ...(clusterScrape && { clusterScrape }),
  });
  const server = appServer(app).listen(config.port, config.host);
  // In a cluster the primary owns PID_FILE: the workers' pids change as they are replaced.
  const pidFile = cluster.isWorker ? undefined : config.pidFile;
  server.on('listening', () => {
    const { port } = server.address() as AddressInfo;
    // Written once listening, so that `switchboard reload` only ever finds a server that can hear it.
    if (pidFile !== undefined) writePidFile(pidFile);
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
    void shutdown(server, store, outbox, pruner, logger).then(() => {
      if (pidFile !== undefined) removePidFile(pidFile);
      process.exit(0);
    });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  onDrainRequest(() => stop('primary'));
}

function writePidFile(file: string): void {
  try {
    fs.writeFileSync(file, `${process.pid}\n`);
  } catch (err) {
    fail(`cannot write PID_FILE ${file}: ${(err as Error).message}`);
  }
}

function removePidFile(file: string): void {
  try {
    // Only our own: a second server started on the same file owns it now.
    if (fs.readFileSync(file, 'utf8').trim() === String(process.pid)) fs.rmSync(file);
  } catch {
    // Already gone: nothing to tidy.
  }
}

async function shutdown(server: Server, store: Store, outbox: Outbox | undefined, pruner: Pruner | undefined, logger: Logger): Promise<void> {
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
  await pruner?.stop();
  await store.close();
  logger.info('stopped');
  logger.flush();
}

function twilioClient(config: Config, logger: Logger, metrics: Metrics | undefined): TwilioClient | undefined {
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
    ...(metrics && { http: instrumentTwilioHttp(createHttpRequester(), metrics) }),
  });
}

function fail(message: string): never {
  process.stderr.write(`switchboard: ${message}\n`);
  process.exit(1);
}

void main();
