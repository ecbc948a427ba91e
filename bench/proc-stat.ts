// The kernel's view of the processes a benchmark starts: CPU time, memory, descendants, and killing what is
// left of them (by pid and start time, so a recycled pid is never hit).
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

export const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

export interface Stat {
  ppid: number;
  /** utime + stime, in clock ticks. */
  cpuTicks: number;
  startTime: number;
}

export function readStat(pid: number): Stat | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // Fields after the command name, which may contain spaces and parentheses: state is field 3.
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { ppid: Number(f[1]), cpuTicks: Number(f[11]) + Number(f[12]), startTime: Number(f[19]) };
}

/** CPU time each thread of `pid` has run, in ms, by thread id (schedstat: nanoseconds, not clock ticks). */
export function threadCpuMs(pid: number): Map<number, number> {
  const threads = new Map<number, number>();
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return threads;
  }
  for (const tid of tids) {
    try {
      threads.set(Number(tid), Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]) / 1e6);
    } catch {
      // Ended meanwhile.
    }
  }
  return threads;
}

/**
 * Where a process's CPU went between two `threadCpuMs` readings: its main thread, its busiest other thread (in
 * corral during a flood, the PTY reader) and the rest (V8's helpers: GC and compiling; libuv's pool).
 */
export function threadSplit(pid: number, before: Map<number, number>, after: Map<number, number>): { main: number; busiest: number; rest: number } {
  const used = [...after].map(([tid, ms]) => [tid, ms - (before.get(tid) ?? 0)] as const);
  const main = used.find(([tid]) => tid === pid)?.[1] ?? 0;
  const others = used.filter(([tid]) => tid !== pid).map(([, ms]) => ms);
  const busiest = Math.max(0, ...others);
  return { main, busiest, rest: others.reduce((a, b) => a + b, 0) - busiest };
}

/** VmRSS and VmHWM in MB. */
export function memory(pid: number): { rss: number; hwm: number } {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
}

export interface Known {
  pid: number;
  startTime: number;
  command: string;
}

/** Every process below `root` now, by parent link. */
export function descendants(root: number): Known[] {
  const children = new Map<number, number[]>();
  const stats = new Map<number, Stat>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = readStat(Number(name));
    if (!s) continue;
    stats.set(Number(name), s);
    children.set(s.ppid, [...(children.get(s.ppid) ?? []), Number(name)]);
  }
  const found: Known[] = [];
  const queue = [...(children.get(root) ?? [])];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    let command = '?';
    try {
      command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    } catch {
      // Gone meanwhile.
    }
    found.push({ pid, startTime: stats.get(pid)!.startTime, command });
    queue.push(...(children.get(pid) ?? []));
  }
  return found;
}

export const stillAlive = (p: Known): boolean => {
  const s = readStat(p.pid);
  return s !== null && s.startTime === p.startTime;
};

export const unique = (ps: Known[]): Known[] => [...new Map(ps.map((p) => [`${p.pid}:${p.startTime}`, p])).values()];

export function killAll(ps: Known[]): void {
  for (const p of ps) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}
