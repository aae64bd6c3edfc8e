import { Writable } from 'node:stream';
import { createLogger } from '../src/logger';

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
