// CPU and resident memory of a whole process tree, summed over its live members (pidusage reads each one).
import pidusage from 'pidusage';
import type { ProcessIdentity } from './proc.js';

export interface Usage {
  cpuPercent: number;
  rssKb: number;
}

/** pidusage keeps each pid's stat file open this long between reads. */
const HISTORY_MS = 30_000;
/** A reading older than this is forgotten (the map stays bounded by the processes listed lately). */
const FORGET_MS = 60_000;

interface Reading {
  /** CPU time used so far, ms. */
  ctime: number;
  at: number;
  /** When the process started (ms, to tell a reused pid apart; pidusage rounds it to clock ticks). */
  started: number;
}

const readings = new Map<number, Reading>();

/**
 * A member's CPU share: since the last reading of the same process, or, seen for the first time, since it
 * started. pidusage's own figure is the share since its last call, and on a first call that is no time at all:
 * a process using a whole core showed 0% at its first listing.
 */
function cpuShare(s: pidusage.Status): number {
  const started = s.timestamp - s.elapsed;
  const prev = readings.get(s.pid);
  readings.set(s.pid, { ctime: s.ctime, at: s.timestamp, started });
  if (prev && Math.abs(prev.started - started) < 1000 && s.timestamp > prev.at) return ((s.ctime - prev.ctime) / (s.timestamp - prev.at)) * 100;
  return s.elapsed > 0 ? (s.ctime / s.elapsed) * 100 : 0;
}

function forgetOld(now: number): void {
  for (const [pid, r] of readings) if (now - r.at > FORGET_MS) readings.delete(pid);
}

export async function treeUsage(members: readonly ProcessIdentity[]): Promise<Usage | null> {
  if (members.length === 0) return null;
  const results = await Promise.allSettled(members.map((m) => pidusage(m.pid, { maxage: HISTORY_MS })));
  forgetOld(Date.now());
  let cpu = 0;
  let rss = 0;
  let seen = 0;
  for (const r of results) {
    if (r.status !== 'fulfilled') continue; // exited between the tree walk and the read
    cpu += Math.max(0, cpuShare(r.value));
    rss += r.value.memory;
    seen++;
  }
  if (seen === 0) return null;
  return { cpuPercent: Math.round(cpu * 10) / 10, rssKb: Math.round(rss / 1024) };
}
