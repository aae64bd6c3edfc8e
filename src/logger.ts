import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './config';

export type { Logger } from 'pino';

/** Where secrets could appear in a log line; pino replaces them before the line is written. */
export const REDACTED_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-twilio-signature"]',
  'res.headers["set-cookie"]',
  '*.authToken',
  '*.apiKey',
  '*.apiKeySecret',
  '*.password',
  'config.smtp.url',
  'config.postgres.url',
  '*.databaseUrl',
  'config.twilio.authToken',
  'config.twilio.apiKeySecret',
];

/**
 * pino's ISO time, formatted once per millisecond rather than once per line: under load many
 * lines share a millisecond, and each format is a Date and a string to collect.
 */
function isoTimeByMillisecond(): () => string {
  let last = -1;
  let formatted = '';
  return () => {
    const now = Date.now();
    if (now !== last) {
      last = now;
      formatted = `,"time":"${new Date(now).toISOString()}"`;
    }
    return formatted;
  };
}

export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'switchboard' },
    redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
    timestamp: isoTimeByMillisecond(),
  };
  return destination ? pino(options, destination) : pino(options);
}

/** What `stdoutDestination` hands its lines to: sonic-boom, or a test's recorder. */
export interface LineSink {
  write(text: string): unknown;
  flushSync(): void;
}

/**
 * Hands the lines of one event-loop turn to `sink` as one string. sonic-boom measures its pending
 * text on every write, which copies that text once per line while a write is in progress: under
 * load, more bytes than the lines themselves. Once per turn costs a join.
 */
export class TurnBatchedLines implements DestinationStream {
  private pending: string[] = [];

  constructor(private readonly sink: LineSink) {}

  write(line: string): void {
    if (this.pending.push(line) === 1) setImmediate(this.release);
  }

  /** Everything written so far, handed on and written out before this returns. */
  flushSync(): void {
    this.release();
    this.sink.flushSync();
  }

  private readonly release = (): void => {
    const lines = this.pending;
    if (lines.length === 0) return;
    this.pending = [];
    this.sink.write(lines.length === 1 ? (lines[0] as string) : lines.join(''));
  };
}

/**
 * Standard output, written asynchronously: lines are queued and written with the lines that
 * follow them while a write is in progress, instead of one blocking write per line. That is about
 * a tenth of a webhook's cost when stdout is a pipe (journald, docker). What is queued is written
 * synchronously when the process exits, however it exits, except by SIGKILL or a crash of Node
 * itself, which can lose the last few milliseconds of lines (never data: that is in SQLite).
 */
export function stdoutDestination(): DestinationStream {
  const destination = new TurnBatchedLines(pino.destination({ dest: 1, sync: false }));
  process.on('exit', () => {
    try {
      destination.flushSync();
    } catch {
      // Nothing more can be done for a log line while the process exits.
    }
  });
  return destination;
}
