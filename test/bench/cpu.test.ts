import { clockTicksPerSecond, cpuDuring, cpuMicros } from '../../bench/cpu';

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

  test('a process that does not exist is an error, not a zero', () => {
    expect(() => cpuMicros(2 ** 30)).toThrow();
  });
});
