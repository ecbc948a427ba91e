// OS-level checks for tests, through `ps` rather than corral's own /proc code, so the two can disagree.
import { execFileSync } from 'node:child_process';

export interface PsRow {
  pid: number;
  ppid: number;
  sid: number;
  pgid: number;
  stat: string;
  args: string;
}

export function psTable(): PsRow[] {
  const out = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,sid=,pgid=,stat=,args='], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((line) => {
      const [pid, ppid, sid, pgid, stat, ...args] = line.trim().split(/\s+/);
      return { pid: Number(pid), ppid: Number(ppid), sid: Number(sid), pgid: Number(pgid), stat: stat!, args: args.join(' ') };
    });
}

/** Alive and not a zombie. */
export function pidAlive(pid: number): boolean {
  return psTable().some((r) => r.pid === pid && !r.stat.startsWith('Z'));
}

/** Every live process in the sessions or groups led by `leaders`, or descended from them. */
export function treeOf(leaders: number[]): PsRow[] {
  const table = psTable().filter((r) => !r.stat.startsWith('Z'));
  const found = new Map<number, PsRow>();
  for (const r of table) if (leaders.includes(r.pid) || leaders.includes(r.sid) || leaders.includes(r.pgid)) found.set(r.pid, r);
  let grew = true;
  while (grew) {
    grew = false;
    for (const r of table) {
      if (!found.has(r.pid) && found.has(r.ppid)) {
        found.set(r.pid, r);
        grew = true;
      }
    }
  }
  return [...found.values()];
}

export function descendantsOf(pid: number): PsRow[] {
  const table = psTable().filter((r) => !r.stat.startsWith('Z'));
  const found = new Map<number, PsRow>();
  const visit = (p: number): void => {
    for (const r of table) {
      if (r.ppid === p && !found.has(r.pid)) {
        found.set(r.pid, r);
        visit(r.pid);
      }
    }
  };
  visit(pid);
  return [...found.values()];
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function waitUntil(ok: () => boolean | Promise<boolean>, timeoutMs = 5000, stepMs = 20): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await ok()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(stepMs);
  }
}
