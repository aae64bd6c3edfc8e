// A server's own CPU time from /proc, per request: what a busy machine cannot inflate the way it
// inflates latency. Written for the operations bench because the perf branch's bench/cpu.ts
// (same signature: cpuDuring(pid, load)) was not on main yet; once it is, import that instead.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

const ticksPerSecond = (): number => Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

/** User + system CPU of `pid` so far, every thread, in microseconds (resolution: one clock tick). */
export function cpuMicros(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces): state is 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / ticksPerSecond();
}

/** CPU µs `pid` used while `load` ran (from another process), and a moment after for its last commit and log lines. */
export async function cpuDuring<T>(pid: number, load: () => Promise<T>, settleMs = 100): Promise<{ cpuMicros: number; result: T }> {
  const before = cpuMicros(pid);
  const result = await load();
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  return { cpuMicros: cpuMicros(pid) - before, result };
}
