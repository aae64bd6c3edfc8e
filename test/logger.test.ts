import { Writable } from 'node:stream';
import { createLogger, TurnBatchedLines } from '../src/logger';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { lines, stream };
}

test('lines carry the ISO time of their millisecond, the service, and redact secrets', async () => {
  const { lines, stream } = capture();
  const logger = createLogger('info', stream);
  const before = Date.now();
  logger.info({ config: { twilio: { authToken: 'secret-token' } } }, 'one');
  logger.info('two');
  await new Promise((resolve) => setImmediate(resolve));
  const after = Date.now();
  expect(lines.map((l) => l.msg)).toEqual(['one', 'two']);
  for (const line of lines) {
    expect(line.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const at = Date.parse(line.time as string);
    expect(at).toBeGreaterThanOrEqual(before);
    expect(at).toBeLessThanOrEqual(after);
    expect(line.service).toBe('switchboard');
  }
  expect(lines[0]).toMatchObject({ config: { twilio: { authToken: '[redacted]' } } });
});

test('a PostgreSQL URL, which may hold a password, is redacted', async () => {
  const { lines, stream } = capture();
  const logger = createLogger('info', stream);
  const url = 'postgres://switchboard:hunter2@db.internal:5432/switchboard';
  logger.info({ config: { postgres: { url, display: 'db.internal:5432/switchboard', poolSize: 10 } } }, 'config');
  logger.info({ store: { databaseUrl: url } }, 'store');
  await new Promise((resolve) => setImmediate(resolve));
  expect(lines.map(({ config, store }) => ({ config, store }))).toEqual([
    { config: { postgres: { url: '[redacted]', display: 'db.internal:5432/switchboard', poolSize: 10 } }, store: undefined },
    { config: undefined, store: { databaseUrl: '[redacted]' } },
  ]);
});

test('a later millisecond gets its own time', async () => {
  const { lines, stream } = capture();
  const logger = createLogger('info', stream);
  logger.info('first');
  const start = Date.now();
  while (Date.now() === start) {
    // wait for the clock to move on
  }
  logger.info('second');
  await new Promise((resolve) => setImmediate(resolve));
  expect(Date.parse(lines[1]?.time as string)).toBeGreaterThan(Date.parse(lines[0]?.time as string));
});

describe('TurnBatchedLines', () => {
  function recorder() {
    const writes: string[] = [];
    let flushed = 0;
    return { writes, flushes: () => flushed, sink: { write: (text: string) => writes.push(text), flushSync: () => void flushed++ } };
  }

  test('hands the lines of one turn to the sink as one write, in order, after the turn', async () => {
    const { writes, sink } = recorder();
    const lines = new TurnBatchedLines(sink);
    lines.write('a\n');
    lines.write('b\n');
    lines.write('c\n');
    expect(writes).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toEqual(['a\nb\nc\n']);
    lines.write('d\n');
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toEqual(['a\nb\nc\n', 'd\n']);
  });

  test('flushSync hands on what is pending at once, then flushes the sink', async () => {
    const { writes, flushes, sink } = recorder();
    const lines = new TurnBatchedLines(sink);
    lines.write('a\n');
    lines.write('b\n');
    lines.flushSync();
    expect(writes).toEqual(['a\nb\n']);
    expect(flushes()).toBe(1);
    // The turn's release finds nothing left, so nothing is written twice.
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toEqual(['a\nb\n']);
  });

  test('a logger writing through it produces whole JSON lines', async () => {
    const { writes, sink } = recorder();
    const logger = createLogger('info', new TurnBatchedLines(sink));
    logger.info('one');
    logger.warn({ n: 2 }, 'two');
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toHaveLength(1);
    const parsed = (writes[0] as string).trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(parsed.map(({ level, msg }) => [level, msg])).toEqual([
      [30, 'one'],
      [40, 'two'],
    ]);
  });
});
