import fs from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

/**
 * Watches a growing log file by reading only what was appended since the last look. A poll of
 * the whole file would cost the load generator more with every request the server logs: under a
 * webhook load the log grows by megabytes a second, and reading and splitting it ten times a
 * second starved the generator's own process (that mistake once made pruning look 10x costlier
 * than it was).
 */
export class LogTail {
  private position = 0;
  private partial = '';
  private readonly buffer = Buffer.alloc(1 << 20);
  // A character split between two reads is decoded whole on the second.
  private readonly decoder = new StringDecoder('utf8');

  private constructor(private readonly fd: number) {}

  static open(file: string): LogTail {
    return new LogTail(fs.openSync(file, 'r'));
  }

  /** The first line appended since the last call that holds `text`, or undefined. */
  find(text: string): string | undefined {
    let found: string | undefined;
    for (;;) {
      const read = fs.readSync(this.fd, this.buffer, 0, this.buffer.length, this.position);
      if (read === 0) return found;
      this.position += read;
      const lines = (this.partial + this.decoder.write(this.buffer.subarray(0, read))).split('\n');
      // The last piece may be a line still being written: kept for the next read.
      this.partial = lines.pop() ?? '';
      found ??= lines.find((line) => line.includes(text));
    }
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}
