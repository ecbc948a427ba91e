// Ends a whole process tree and says truthfully how: SIGTERM to the group, a grace period, then SIGKILL to the
// group and to every descendant still alive, and to members that left the tree but carry its marker. It
// reports success only when no process of the tree is left.
import { type MarkerMatch, exactly, scanMarked, scanMarkedSync } from './marker.js';
import { type ProcessIdentity, signalGroupIfOurs, signalIfSame } from './proc.js';
import { liveTreeMembers, liveTreeMembersSync, stillAlive } from './process-tree.js';

export const DEFAULT_GRACE_MS = 2000;
const POLL_MS = 20;
/** How long SIGKILLed processes get to disappear (uninterruptible sleep can delay it) before we give up. */
const KILL_WAIT_MS = 3000;

export type EndedBy = 'exited' | 'SIGTERM' | 'SIGKILL';

export interface TreeTarget {
  /** The process we spawned; null if its start time could not be read (it was gone at once). */
  leader: ProcessIdentity | null;
  /** Members seen earlier, so orphans re-parented to init are still found. */
  known: () => Iterable<ProcessIdentity>;
  /** Whether the leader's exit has been observed (it is reaped and its output drained). */
  leaderExited: () => boolean;
  /** Resolves when the leader's exit is observed, or false after `ms`. */
  waitLeaderExit: (ms: number) => Promise<boolean>;
  /** How the leader ended, once it has. */
  leaderSignal: () => NodeJS.Signals | null;
  /** Its CORRAL_MANAGED value: members that left the tree (setsid and orphaned) are found by it. */
  marker?: string | null;
}

export interface TreeTermination {
  /** Whether any process of the tree was alive when termination started. */
  wasRunning: boolean;
  endedBy: EndedBy;
  /** Processes of the tree still alive at the end; empty when termination succeeded. */
  survivors: ProcessIdentity[];
  /** Members found only by their marker: they had left the tree. */
  escaped: number;
  durationMs: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function members(target: TreeTarget, extra: Iterable<ProcessIdentity>): Promise<ProcessIdentity[]> {
  const known = [...target.known(), ...extra];
  return target.leader ? liveTreeMembers(target.leader, known) : stillAlive(known);
}

function signalAll(target: TreeTarget, ids: readonly ProcessIdentity[], signal: NodeJS.Signals): void {
  if (target.leader) signalGroupIfOurs(target.leader, signal);
  for (const id of ids) signalIfSame(id, signal);
}

/** Waits until none of `ids` is alive and the leader's exit is observed, or the deadline passes. */
async function waitGone(target: TreeTarget, ids: readonly ProcessIdentity[], ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  let left = [...ids];
  for (;;) {
    left = await stillAlive(left);
    if (left.length === 0 && (target.leaderExited() || !target.leader)) return true;
    const remaining = deadline - Date.now();
    if (remaining <= 0) return false;
    if (left.length === 0) return target.waitLeaderExit(remaining);
    await sleep(Math.min(POLL_MS, remaining));
  }
}

export async function terminateTree(target: TreeTarget, graceMs = DEFAULT_GRACE_MS): Promise<TreeTermination> {
  const started = Date.now();
  const done = (wasRunning: boolean, endedBy: EndedBy, survivors: ProcessIdentity[]): TreeTermination => ({
    wasRunning,
    endedBy,
    survivors,
    escaped: escapees.size,
    durationMs: Date.now() - started,
  });
  // Marked processes the walk did not find; from then on they and their descendants count as members.
  const escapees = new Map<number, ProcessIdentity>();
  const walk = (): Promise<ProcessIdentity[]> => members(target, escapees.values());
  /** Scans for the marker; returns the members that brings in (escapees and their descendants) beyond `tree`. */
  const findEscapees = async (tree: readonly ProcessIdentity[]): Promise<ProcessIdentity[]> => {
    if (!target.marker) return [];
    const inTree = new Set(tree.map((m) => m.pid));
    const found = (await scanMarked(exactly(target.marker))).filter((m) => !inTree.has(m.pid));
    for (const m of found) escapees.set(m.pid, m);
    return found.length > 0 ? (await walk()).filter((m) => !inTree.has(m.pid)) : [];
  };
  const term = (ids: readonly ProcessIdentity[]): void => {
    signalAll(target, ids, 'SIGTERM');
    // A stopped process would hold SIGTERM pending forever; let it run to receive it.
    signalAll(target, ids, 'SIGCONT');
  };

  let tree = await walk();
  const leaderWasRunning = target.leader !== null && !target.leaderExited();
  if (tree.length > 0 || leaderWasRunning) term(tree);
  // The scan reads every process's environment, so it runs after the first SIGTERM went out; what it finds gets
  // the same treatment.
  const more = await findEscapees(tree);
  if (more.length > 0) term(more);
  tree = [...tree, ...more];
  if (tree.length === 0 && !leaderWasRunning) return done(false, 'exited', []);

  if (await waitGone(target, tree, graceMs)) {
    // Processes created while the group was going down are members too.
    tree = await walk();
    tree = [...tree, ...(await findEscapees(tree))];
    if (tree.length === 0) {
      // A leader that handled SIGTERM and exited with a status ended by exiting; anything else, by SIGTERM.
      const exitedOnItsOwn = leaderWasRunning && target.leaderSignal() === null;
      return done(true, exitedOnItsOwn ? 'exited' : 'SIGTERM', []);
    }
  }

  // Grace is over. Kill repeatedly until a fresh walk of the tree finds nothing: a dying parent can fork.
  const deadline = Date.now() + KILL_WAIT_MS;
  for (;;) {
    tree = await walk();
    signalAll(target, tree, 'SIGKILL');
    const gone = await waitGone(target, tree, Math.max(0, Math.min(500, deadline - Date.now())));
    const left = await walk();
    if ((gone && left.length === 0) || Date.now() >= deadline) return done(true, 'SIGKILL', left);
  }
}

/**
 * For exit handlers, where no later event-loop turn is guaranteed: SIGTERM, a short synchronous wait, then
 * SIGKILL to everything left. Returns the processes that could not be ended.
 */
export function terminateTreesSync(
  targets: readonly TreeTarget[],
  graceMs: number,
  scope?: MarkerMatch,
): ProcessIdentity[] {
  const markers = new Set(targets.flatMap((t) => (t.marker ? [t.marker] : [])));
  // One scan for every tree (or for `scope`, a whole run): members that left their tree, followed like orphans
  // seen by a census.
  const match: MarkerMatch = scope ?? ((m) => markers.has(m));
  const escapees = scope || markers.size > 0 ? scanMarkedSync(match) : [];
  const known = (t: TreeTarget): ProcessIdentity[] => [...t.known(), ...escapees];
  const trees = targets.map((t) => ({
    target: t,
    ids: t.leader ? liveTreeMembersSync(t.leader, known(t)) : [...t.known()],
  }));
  for (const { target, ids } of trees) signalAll(target, ids, 'SIGTERM');
  for (const { target, ids } of trees) signalAll(target, ids, 'SIGCONT');
  const anyAlive = (): boolean =>
    trees.some(({ target }) => target.leader !== null && liveTreeMembersSync(target.leader, known(target)).length > 0);
  sleepSyncUntil(() => !anyAlive(), graceMs);
  for (const { target } of trees) {
    const ids = target.leader ? liveTreeMembersSync(target.leader, known(target)) : [...target.known()];
    signalAll(target, ids, 'SIGKILL');
  }
  sleepSyncUntil(() => !anyAlive(), 1000);
  const left = trees.flatMap(({ target }) => (target.leader ? liveTreeMembersSync(target.leader, known(target)) : []));
  return [...new Map(left.map((p) => [p.pid, p])).values()];
}

const sleepCell = new Int32Array(new SharedArrayBuffer(4));

/** Blocks the thread (no event loop) until `ok()` or `ms` have passed. */
function sleepSyncUntil(ok: () => boolean, ms: number): void {
  const deadline = Date.now() + ms;
  while (!ok() && Date.now() < deadline) Atomics.wait(sleepCell, 0, 0, 10);
}
