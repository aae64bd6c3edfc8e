import { clockTicksPerSecond, cpuDuring, cpuMicros, threadsCpuMicros } from '../../bench/cpu';

/** Keeps this process on the CPU until Node's own accounting has moved by `micros`. */
function burn(micros: number): void {
  const start = process.cpuUsage();
  let x = 0;
  while (true) {
    for (let i = 0; i < 100_000; i++) x = (x * 31 + i) % 1_000_003;
    const used = process.cpuUsage(start);
    if (used.user + used.system >= micros) return;
  }
}

describe('bench/cpu', () => {
  test('CLK_TCK is a positive whole number of ticks per second', () => {
    expect(Number.isInteger(clockTicksPerSecond())).toBe(true);
    expect(clockTicksPerSecond()).toBeGreaterThan(0);
  });

  test("reads the same CPU time from /proc as the process's own getrusage, to a few clock ticks", () => {
    burn(200_000);
    const tick = 1e6 / clockTicksPerSecond();
    const own = process.cpuUsage();
    const fromProc = cpuMicros(process.pid);
    const after = process.cpuUsage();
    // /proc counts whole ticks; the two reads are a moment apart.
    expect(fromProc).toBeGreaterThanOrEqual(own.user + own.system - 3 * tick);
    expect(fromProc).toBeLessThanOrEqual(after.user + after.system + 3 * tick);
  });

  test("cpuDuring counts the CPU used by the load and returns the load's result", async () => {
    const { cpuMicros: used, result } = await cpuDuring(process.pid, async () => {
      burn(300_000);
      return 'done';
    }, 0);
    expect(result).toBe('done');
    const tick = 1e6 / clockTicksPerSecond();
    expect(used).toBeGreaterThanOrEqual(300_000 - 3 * tick);
  });

  test("reads the CPU time of the process's threads from schedstat, without the tick's rounding", async () => {
    // A thread that has exited is in getrusage's total only, so the totals compare one way.
    expect(threadsCpuMicros(process.pid)).toBeLessThanOrEqual(process.cpuUsage().user + process.cpuUsage().system + 1_000);
    // burn stops once getrusage has moved by 100 ms; no thread of this process exits meanwhile.
    const { cpuMicros: used } = await cpuDuring(process.pid, async () => burn(100_000), 0, threadsCpuMicros);
    expect(used).toBeGreaterThanOrEqual(100_000 - 1_000);
    expect(used).toBeLessThanOrEqual(100_000 + 50_000);
  });

  test('a process that does not exist is an error, not a zero', () => {
    expect(() => cpuMicros(2 ** 30)).toThrow();
    expect(() => threadsCpuMicros(2 ** 30)).toThrow();
  });
});
