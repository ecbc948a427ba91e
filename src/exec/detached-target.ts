// A tree to end whose leader is not our child (the guardian's trees, an earlier run's leftovers, escapees of this
// run): its exit cannot be observed by waiting on it, only by watching /proc.
import { type ProcessIdentity, isAlive, isAliveSync } from './proc.js';
import { type TreeTarget, type TreeTermination, terminateTree } from './terminate-tree.js';
import { type MarkerMatch, scanMarked } from './marker.js';

const POLL_MS = 20;

async function waitGone(id: ProcessIdentity, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (await isAlive(id)) {
    const left = deadline - Date.now();
    if (left <= 0) return false;
    await new Promise((r) => setTimeout(r, Math.min(POLL_MS, left)));
  }
  return true;
}

export function detachedTarget(
  leader: ProcessIdentity | null,
  known: readonly ProcessIdentity[] = [],
  marker: string | null = null,
): TreeTarget {
  return {
    leader,
    known: () => known,
    leaderExited: () => leader === null || !isAliveSync(leader),
    waitLeaderExit: (ms) => (leader === null ? Promise.resolve(true) : waitGone(leader, ms)),
    leaderSignal: () => null,
    marker,
  };
}

/**
 * Ends every live process whose marker matches (SIGTERM, grace, SIGKILL, each checked by start time): what is
 * left of a run after its trees were ended. Null when there was none.
 */
export async function endMarked(match: MarkerMatch, graceMs: number): Promise<TreeTermination | null> {
  const found = await scanMarked(match);
  if (found.length === 0) return null;
  return terminateTree(detachedTarget(null, found), graceMs);
}
