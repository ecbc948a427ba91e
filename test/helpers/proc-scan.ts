// The kernel's view of every process, read straight from /proc (independently of corral's own /proc code), with
// the marker variable corral puts on each child, so tests can find a managed process wherever it went.
import { readFileSync, readdirSync } from 'node:fs';

/** The environment variable corral sets on every child: `<runId>:<processId>`. */
export const MARKER = 'CORRAL_MANAGED';

export interface ScannedProc {
  pid: number;
  ppid: number;
  pgid: number;
  sid: number;
  state: string;
  /** Field 22 of /proc/PID/stat: with the pid, the identity of a process. */
  startTime: number;
  /** The command line, arguments joined by spaces. */
  args: string;
  /** The value of CORRAL_MANAGED in its environment, or null (absent, or not ours to read). */
  marker: string | null;
}

export interface Identity {
  pid: number;
  startTime: number;
}

function readMarker(pid: number): string | null {
  let env: string;
  try {
    env = readFileSync(`/proc/${pid}/environ`, 'utf8');
  } catch {
    return null; // another user's, or gone
  }
  const prefix = `${MARKER}=`;
  for (const entry of env.split('\0')) if (entry.startsWith(prefix)) return entry.slice(prefix.length);
  return null;
}

export function scanProc(pid: number, withMarker = true): ScannedProc | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // comm may contain spaces and parentheses: the fields start after the last ')'.
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  let args = '';
  try {
    args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
  } catch {
    // exited meanwhile
  }
  return {
    pid,
    ppid: Number(f[1]),
    pgid: Number(f[2]),
    sid: Number(f[3]),
    state: f[0]!,
    startTime: Number(f[19]),
    args,
    marker: withMarker ? readMarker(pid) : null,
  };
}

/** Every live (not zombie, not dead) process now. */
export function scanAll(withMarker = true): ScannedProc[] {
  const out: ScannedProc[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const p = scanProc(Number(name), withMarker);
    if (p && !isGone(p.state)) out.push(p);
  }
  return out;
}

export const isGone = (state: string): boolean => state === 'Z' || state === 'X' || state === 'x';

/** The same process (pid and start time) exists and is not a zombie. */
export function isAlive(id: Identity): boolean {
  const now = scanProc(id.pid, false);
  return now !== null && now.startTime === id.startTime && !isGone(now.state);
}

/** `roots` (those in `procs`) and everything descended from them by parent link. */
export function withDescendants(procs: readonly ScannedProc[], roots: readonly ScannedProc[]): ScannedProc[] {
  const found = new Map(roots.map((p) => [p.pid, p]));
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of procs) {
      if (!found.has(p.pid) && found.has(p.ppid)) {
        found.set(p.pid, p);
        grew = true;
      }
    }
  }
  return [...found.values()];
}

/** Processes whose marker names run `runId` (any run when null), with their descendants. */
export function markedBy(procs: readonly ScannedProc[], runId: string | null): ScannedProc[] {
  return withDescendants(
    procs,
    procs.filter((p) => p.marker !== null && (runId === null || p.marker.startsWith(`${runId}:`))),
  );
}

/** Whether a command line contains `word` as a whole word (shell punctuation separates words). */
export function hasWord(args: string, word: string): boolean {
  return args.split(/[\s;&|'"()]+/).includes(word);
}

/** SIGKILLs each process that is still the one seen (pid and start time). */
export function killAll(ids: readonly Identity[]): void {
  for (const id of ids) {
    if (!isAlive(id)) continue;
    try {
      process.kill(id.pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
}

/**
 * utime + stime from a /proc stat file (a process's `/proc/PID/stat` or a thread's `/proc/PID/task/TID/stat`), in
 * clock ticks (100 a second on Linux). Throws once it is gone.
 */
export function cpuTicks(statFile: string): number {
  const stat = readFileSync(statFile, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]);
}
