// A server's own CPU time, read from /proc, for figures that a busy machine cannot inflate the
// way it inflates requests/s: a request costs the same CPU whether it waited for a core or not.
//
//   const before = cpuMicros(server.pid);
//   await load();                                   // in another process than the server
//   const perRequest = (cpuMicros(server.pid) - before) / requests;
//
// or `cpuDuring(pid, load)`, which does the same and waits for the server to finish the work that
// a response leaves behind (a log line written after it, a group commit) before the second read.
// Linux only (/proc); the resolution is one clock tick (10 ms at CLK_TCK 100), so measure loads
// of seconds, not of milliseconds.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

let ticksPerSecond: number | undefined;

/** Clock ticks per second of utime/stime in /proc/<pid>/stat: `getconf CLK_TCK`, read once. */
export function clockTicksPerSecond(): number {
  if (ticksPerSecond === undefined) {
    const value = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    if (!Number.isInteger(value) || value <= 0) throw new Error(`getconf CLK_TCK gave "${value}"`);
    ticksPerSecond = value;
  }
  return ticksPerSecond;
}

/**
 * CPU time the process `pid` has used so far, user + system, all of its threads (V8's GC and
 * compiler threads, libuv's pool), in microseconds.
 */
export function cpuMicros(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Field 2, the command name, is in parentheses and may itself hold spaces or parentheses: the
  // fields are counted from the last ')'. After it come field 3 (state) … 14 (utime), 15 (stime).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  if (!Number.isFinite(ticks)) throw new Error(`cannot read utime/stime from /proc/${pid}/stat`);
  return (ticks * 1e6) / clockTicksPerSecond();
}

/**
 * The same CPU time without the clock tick's rounding: the time on a CPU of each of `pid`'s
 * threads (the first field of /proc/<pid>/task/<tid>/schedstat, in ns), summed. The tick is 10 ms,
 * about 1 % of a round of 20,000 webhooks, as much as some effects measured. A thread that exits
 * takes its time with it, so only for processes whose threads last, as a Node server's do.
 */
export function threadsCpuMicros(pid: number): number {
  let nanos = 0;
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8');
    } catch {
      // exited between the listing and the read
      continue;
    }
    const ran = Number(stat.slice(0, stat.indexOf(' ')));
    if (!Number.isFinite(ran)) throw new Error(`cannot read /proc/${pid}/task/${tid}/schedstat`);
    nanos += ran;
  }
  return nanos / 1000;
}

export interface CpuDuring<T> {
  /** CPU µs the process used from just before `load` started until it had settled after it. */
  cpuMicros: number;
  /** What `load` resolved with. */
  result: T;
}

/**
 * Runs `load` (which must drive `pid` from another process: a load generator in the server's own
 * process would be counted as the server) and returns the CPU µs `pid` used meanwhile. The second
 * read comes `settleMs` after `load` resolves, so that work the server does after its last
 * response (log lines, a commit) is counted too; an idle server uses nothing in that time.
 * `read` is cpuMicros, or threadsCpuMicros where a clock tick would matter.
 */
export async function cpuDuring<T>(
  pid: number,
  load: () => Promise<T>,
  settleMs = 100,
  read: (pid: number) => number = cpuMicros,
): Promise<CpuDuring<T>> {
  const before = read(pid);
  const result = await load();
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  return { cpuMicros: read(pid) - before, result };
}
