import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { Express } from 'express';
import { createApp } from '../../src/app';
import type { Clock } from '../../src/clock';
import { loadConfig, type Config, type Env } from '../../src/config';
import { createLogger, type Logger } from '../../src/logger';
import { Outbox, type OutboxOptions } from '../../src/outbox';
import { openSqliteStore, type Store } from '../../src/store';
import type { TwilioClient } from '../../src/twilio';
import { parseSettings, type Settings, type SettingsHolder } from '../../src/settings';
import type { Mailer } from '../../src/mail';
import type { Metrics } from '../../src/metrics';
import type { ClusterScrape } from '../../src/cluster/metrics-worker';

export const FIXED_NOW = new Date('2026-01-02T03:04:05.000Z');

export interface TestApp {
  app: Express;
  config: Config;
  store: Store;
  clock: Clock & { set(date: Date): void };
  /** Every log line the app wrote, parsed. */
  logs: Array<Record<string, unknown>>;
  /** The raw log text, to grep for secrets. */
  logText(): string;
  /** The raw log lines as they are written (a live array), for tests that read only the new ones. */
  logLines: readonly string[];
  dir: string;
  /** Present when a Twilio client was given; not started (call `start()` for recovery and bulk jobs). */
  outbox: Outbox | undefined;
  close(): Promise<void>;
}

/** A fresh app over a fresh SQLite file in a temp folder, with a settable clock and captured logs. */
export interface TestAppExtras {
  settings?: Settings | SettingsHolder;
  mailer?: Mailer;
  outbox?: Partial<Pick<OutboxOptions, 'now' | 'idleMs' | 'parallelSends' | 'reconcileIntervalMs'>>;
  /** A store the test opened (e.g. over PostgreSQL) with the clock it was given; closed with the app. */
  store?: { store: Store; clock: TestApp['clock'] };
  /** Counted as the server counts: the store's commits timed, /metrics served. */
  metrics?: Metrics;
  /** As in a cluster worker: what /metrics answers with instead of `metrics`' own registry. */
  clusterScrape?: ClusterScrape;
}

export function settableClock(start: Date = FIXED_NOW): TestApp['clock'] {
  let now = start;
  return { now: () => now, set: (date: Date) => void (now = date) };
}

export function buildTestApp(env: Env = {}, twilio?: TwilioClient, extra: TestAppExtras = {}): TestApp {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-test-'));
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_PATH: path.join(dir, 'test.db'), ...env });
  const clock = extra.store?.clock ?? settableClock();
  // A store the test opened times its own commits (if it was given the hook); this one is timed here.
  const store = extra.store?.store ?? openSqliteStore(config.databasePath, clock, { ...(extra.metrics && { onCommit: extra.metrics.observeCommit }) });
  const { logger, lines } = captureLogger();
  const settings = extra.settings ?? parseSettings({}, 'test defaults');
  const outbox =
    twilio &&
    new Outbox({
      store,
      twilio,
      clock,
      logger,
      messagesPerSecond: config.messagesPerSecond,
      reconcileIntervalMs: config.reconcile.intervalSeconds * 1000,
      reconcileGiveUpMs: config.reconcile.giveUpSeconds * 1000,
      ...extra.outbox,
    });
  const app = createApp({
    config,
    store,
    twilio,
    clock,
    logger,
    settings,
    mailer: extra.mailer,
    ...(outbox && { outbox }),
    ...(extra.metrics && { metrics: extra.metrics }),
    ...(extra.clusterScrape && { clusterScrape: extra.clusterScrape }),
  });
  return {
    app,
    config,
    store,
    clock,
    dir,
    outbox,
    get logs() {
      return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    },
    logText: () => lines.join('\n'),
    logLines: lines,
    async close() {
      await outbox?.stop();
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function captureLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line !== '') lines.push(line);
      done();
    },
  });
  return { logger: createLogger('debug', sink), lines };
}
