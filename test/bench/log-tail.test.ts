import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LogTail } from '../../bench/log-tail';

describe('LogTail', () => {
  let dir: string;
  let file: string;
  let tail: LogTail;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-log-tail-'));
    file = path.join(dir, 'server.log');
    fs.writeFileSync(file, '{"msg":"switchboard listening"}\n');
    tail = LogTail.open(file);
  });

  afterEach(() => {
    tail.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('finds a line among those appended since the last look, and each line once', () => {
    expect(tail.find('listening')).toBe('{"msg":"switchboard listening"}');
    expect(tail.find('listening')).toBeUndefined();
    fs.appendFileSync(file, '{"msg":"request completed"}\n{"msg":"old history pruned","n":1}\n');
    expect(tail.find('old history pruned')).toBe('{"msg":"old history pruned","n":1}');
    expect(tail.find('request completed')).toBeUndefined();
  });

  it('waits for a line being written to be whole, even when a character is split between two reads', () => {
    const line = Buffer.from('{"msg":"old history pruned","to":"Zoë"}\n');
    const cut = line.indexOf('ë') + 1; // inside the two bytes of ë
    fs.appendFileSync(file, line.subarray(0, cut));
    expect(tail.find('old history pruned')).toBeUndefined();
    fs.appendFileSync(file, line.subarray(cut));
    expect(tail.find('old history pruned')).toBe('{"msg":"old history pruned","to":"Zoë"}');
  });

  it('reads past its buffer: a line after more than a megabyte of others is found', () => {
    fs.appendFileSync(file, `${'{"msg":"request completed"}\n'.repeat(50_000)}{"msg":"old history pruned"}\n`);
    expect(tail.find('old history pruned')).toBe('{"msg":"old history pruned"}');
  });
});
