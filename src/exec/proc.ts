// Reads the kernel's view of processes from /proc. Everything that decides whether a process is alive,
// whose it is, or whether it may be signalled goes through here, so the answers match the OS.
import { readFileSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

export interface ProcStat {
  pid: number;
  /** Single-letter state from /proc/PID/stat; `Z` (zombie) and `X` (dead) count as gone. */
  state: string;
  ppid: number;
  pgrp: number;
  session: number;
  /** Field 8: the foreground process group of its controlling terminal (-1 without one). */
  tpgid: number;
  /** Field 22: start time in clock ticks since boot. Together with pid it identifies one process. */
  startTime: number;
}

/** A process identity that survives pid reuse: the pid plus the start time recorded when we saw it. */
export interface ProcessIdentity {
  pid: number;
  startTime: number;
}

/** Parses the text of /proc/PID/stat. The command name (field 2) may contain spaces and parentheses,
 * so fields are counted from the last `)`. */
export function parseProcStat(text: string): ProcStat | null {
  const close = text.lastIndexOf(')');
  if (close < 0) return null;
  const pid = Number.parseInt(text, 10);
  // After ") " come fields 3.. (state is field 3); index 0 here is field 3.
  const rest = text.slice(close + 2).split(' ');
  const state = rest[0];
  const ppid = Number(rest[1]);
  const pgrp = Number(rest[2]);
  const session = Number(rest[3]);
  const tpgid = Number(rest[5]);
  const startTime = Number(rest[19]);
  if (!state || !Number.isFinite(pid) || !Number.isFinite(startTime)) return null;
  return { pid, state, ppid, pgrp, session, tpgid, startTime };
}

export function isGoneState(state: string): boolean {
  return state === 'Z' || state === 'X' || state === 'x';
}

export function readProcStatSync(pid: number): ProcStat | null {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

export async function readProcStat(pid: number): Promise<ProcStat | null> {
  try {
    return parseProcStat(await readFile(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

function numericEntries(names: string[]): number[] {
  const pids: number[] = [];
  for (const name of names) {
    const c = name.charCodeAt(0);
    if (c >= 48 && c <= 57) pids.push(Number(name));
  }
  return pids;
}

/** Stat files read between two turns of the event loop (~2 ms). */
const STATS_PER_TURN = 128;

/**
 * Every live (non-zombie) process on the machine. The stat files are read synchronously in batches: each read
 * is microseconds (the kernel makes the text in memory), while one fs.promises read per process queued on
 * libuv's four threads took ~10 times as long in all; the event loop gets a turn between batches. The listing
 * of /proc is read synchronously too (~30 µs for a hundred processes): every command's end waits for this walk,
 * and a hop to libuv's threads queues behind whatever they are doing (a flooding terminal's log writes).
 */
export async function listProcesses(): Promise<ProcStat[]> {
  const pids = numericEntries(readdirSync('/proc'));
  const out: ProcStat[] = [];
  for (let i = 0; i < pids.length; i++) {
    if (i > 0 && i % STATS_PER_TURN === 0) await new Promise((resolve) => setImmediate(resolve));
    const s = readProcStatSync(pids[i]!);
    if (s && !isGoneState(s.state)) out.push(s);
  }
  return out;
}

/** Synchronous variant for exit handlers, where no further event-loop turn is guaranteed. */
export function listProcessesSync(): ProcStat[] {
  const out: ProcStat[] = [];
  for (const pid of numericEntries(readdirSync('/proc'))) {
    const s = readProcStatSync(pid);
    if (s && !isGoneState(s.state)) out.push(s);
  }
  return out;
}

/** True when the process with this identity is still running (not a zombie, not a reused pid). */
export function isAliveSync(id: ProcessIdentity): boolean {
  const s = readProcStatSync(id.pid);
  return s !== null && s.startTime === id.startTime && !isGoneState(s.state);
}

export async function isAlive(id: ProcessIdentity): Promise<boolean> {
  const s = await readProcStat(id.pid);
  return s !== null && s.startTime === id.startTime && !isGoneState(s.state);
}

/**
 * Sends `signal` to the pid only if it is still the process we recorded: a pid whose start time differs
 * belongs to someone else now and is never signalled. Returns whether the signal was sent.
 */
export function signalIfSame(id: ProcessIdentity, signal: NodeJS.Signals): boolean {
  if (!isAliveSync(id)) return false;
  try {
    process.kill(id.pid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * Sends `signal` to the process group led by `leader`, but only while that group is provably ours: either the
 * leader is still the recorded process, or the leader is gone and its pid is not taken by another process
 * (the kernel does not hand out a pid that is still some process's group id, so surviving members keep it
 * ours). Returns whether the signal was sent.
 */
export function signalGroupIfOurs(leader: ProcessIdentity, signal: NodeJS.Signals): boolean {
  const s = readProcStatSync(leader.pid);
  if (s !== null && s.startTime !== leader.startTime) return false;
  try {
    process.kill(-leader.pid, signal);
    return true;
  } catch {
    return false;
  }
}

let bootMs: number | undefined;

/** Epoch milliseconds of a start time in clock ticks since boot (Linux's USER_HZ is 100). */
export function startTimeToEpochMs(startTime: number): number {
  if (bootMs === undefined) {
    const btime = /^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'));
    bootMs = btime ? Number(btime[1]) * 1000 : 0;
  }
  return bootMs + startTime * 10;
}
