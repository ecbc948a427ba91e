// CPU and resident memory of a whole process tree, summed over its live members (pidusage per process).
import pidusage from 'pidusage';
import type { ProcessIdentity } from './proc.js';

export interface Usage {
  cpuPercent: number;
  rssKb: number;
}

/** Keep per-pid history long enough for CPU deltas between list calls a few seconds apart. */
const HISTORY_MS = 30_000;

export async function treeUsage(members: readonly ProcessIdentity[]): Promise<Usage | null> {
  if (members.length === 0) return null;
  const results = await Promise.allSettled(members.map((m) => pidusage(m.pid, { maxage: HISTORY_MS })));
  let cpu = 0;
  let rss = 0;
  let seen = 0;
  for (const r of results) {
    if (r.status !== 'fulfilled') continue; // exited between the tree walk and the read
    cpu += r.value.cpu;
    rss += r.value.memory;
    seen++;
  }
  if (seen === 0) return null;
  return { cpuPercent: Math.round(cpu * 10) / 10, rssKb: Math.round(rss / 1024) };
}
