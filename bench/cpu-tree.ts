// CPU of a server and all its descendants: with WORKERS=n the requests are served by the
// workers, which /proc/<primary>/stat does not count until they exit.
import fs from 'node:fs';
import { cpuMicros, type CpuDuring } from './cpu';

/** The pids of `pid`'s children, from /proc/<pid>/task/<tid>/children (every thread can fork). */
function children(pid: number): number[] {
  const found: number[] = [];
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    const text = fs.readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
    if (text !== '') found.push(...text.split(/\s+/).map(Number));
  }
  return found;
}

/** CPU µs used so far by `pid` and its descendants that are still running. */
export function treeCpuMicros(pid: number): number {
  let total = 0;
  const queue = [pid];
  // A process tree is finite, and each pid is read once.
  for (let i = 0; i < queue.length && i < 10_000; i++) {
    const current = queue[i] as number;
    try {
      total += cpuMicros(current);
      queue.push(...children(current));
    } catch {
      // exited between the listing and the read: its CPU is no longer anywhere to read
    }
  }
  return total;
}

/** `cpuDuring` (bench/cpu.ts) over the whole process tree of `pid`. */
export async function treeCpuDuring<T>(pid: number, load: () => Promise<T>, settleMs = 100): Promise<CpuDuring<T>> {
  const before = treeCpuMicros(pid);
  const result = await load();
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  return { cpuMicros: treeCpuMicros(pid) - before, result };
}
