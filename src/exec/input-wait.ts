// Whether a terminal's program is waiting for the person to type, decided from the kernel: a process of the
// terminal's foreground group sleeps in a read of that terminal. Measured on Linux 6.18: `read -p` in bash,
// Python's input() and getpass (which opens /dev/tty) all sleep in read(2) with `/proc/PID/syscall` =
// `<nr> <fd> ...`, state S, and wchan `wait_woken` (generic, so only supporting). A program that waits in
// epoll or poll (node, most TUIs) is not recognised: the kernel cannot say which descriptor it waits for.
// The reads are synchronous (a few /proc files, microseconds each; see ports.ts).
import { readFileSync, readlinkSync } from 'node:fs';
import { type ProcStat, type ProcessIdentity, readProcStatSync } from './proc.js';

/** read, readv and pread64 by architecture; elsewhere nothing counts as waiting. */
const READ_SYSCALLS: Record<string, readonly number[]> = {
  x64: [0, 19, 17],
  arm64: [63, 65, 67],
};

export interface ReadCall {
  syscall: number;
  fd: number;
}

/**
 * The text of /proc/PID/syscall: `<nr> <arg1> ... <sp> <pc>` while blocked in a system call, `running`, or
 * `-1 <sp> <pc>` when blocked in none. Returns the call number and its first argument.
 */
export function parseSyscall(text: string): ReadCall | null {
  const parts = text.trim().split(' ');
  const nr = Number(parts[0]);
  if (!Number.isInteger(nr) || nr < 0 || parts.length < 3) return null;
  const fd = Number.parseInt(parts[1]!, 16);
  return Number.isInteger(fd) ? { syscall: nr, fd } : null;
}

function readOrNull(read: () => string): string | null {
  try {
    return read();
  } catch {
    return null; // gone, or not ours to read
  }
}

/** Whether this process sleeps in a read of the terminal `ttyName` (or of /dev/tty). */
function readsTerminal(stat: ProcStat, ttyName: string, reads: readonly number[]): boolean {
  if (stat.state !== 'S') return false;
  const call = parseSyscall(readOrNull(() => readFileSync(`/proc/${stat.pid}/syscall`, 'utf8')) ?? '');
  if (!call || !reads.includes(call.syscall)) return false;
  const target = readOrNull(() => readlinkSync(`/proc/${stat.pid}/fd/${call.fd}`));
  return target === ttyName || target === '/dev/tty';
}

/**
 * Whether the foreground process group of the terminal led by `leader` (its session leader, which has the
 * terminal `ttyName` as its controlling terminal) has a process blocked reading it. Candidates: the group's
 * leader (its pid is the group id) and the tree's known members in that group.
 */
export function waitingForInput(leader: ProcessIdentity, members: Iterable<ProcessIdentity>, ttyName: string): boolean {
  const reads = READ_SYSCALLS[process.arch];
  if (!reads) return false;
  const lead = readProcStatSync(leader.pid);
  if (!lead || lead.startTime !== leader.startTime || lead.tpgid <= 0) return false;
  const foreground = lead.tpgid;
  const candidates = new Set<number>([foreground]);
  for (const m of members) candidates.add(m.pid);
  for (const pid of candidates) {
    const stat = pid === lead.pid ? lead : readProcStatSync(pid);
    // In the foreground group of this session: the kernel keeps the terminal's foreground group in its session.
    if (!stat || stat.pgrp !== foreground || stat.session !== lead.session) continue;
    if (readsTerminal(stat, ttyName, reads)) return true;
  }
  return false;
}
