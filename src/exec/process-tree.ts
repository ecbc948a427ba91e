// Which processes belong to a managed command: everything in the leader's session or process group, and every
// descendant by parent link (a descendant may have moved to a group or session of its own).
import { type ProcStat, type ProcessIdentity, isAlive, listProcesses, listProcessesSync } from './proc.js';

/**
 * A tree followed from its leader: the members found at each walk are remembered, so that a descendant that
 * was orphaned and re-parented to init is still found by the next one.
 */
export class TrackedTree {
  private readonly known = new Map<number, ProcessIdentity>();

  constructor(readonly leader: ProcessIdentity | null) {
    if (leader) this.known.set(leader.pid, leader);
  }

  /**
   * The tree's live members in a snapshot of the process table, remembered. `marked`: processes found by the
   * command's marker (members that left the tree before a walk saw them).
   */
  refresh(table: readonly ProcStat[], marked: readonly ProcessIdentity[] = []): ProcessIdentity[] {
    if (!this.leader) return [];
    const live = treeMembers(this.leader, table, [...this.known.values(), ...marked]);
    this.known.clear();
    for (const m of live) this.known.set(m.pid, m);
    return live;
  }

  /** Members found at the last walk (some may have ended since). */
  members(): IterableIterator<ProcessIdentity> {
    return this.known.values();
  }

  get knownCount(): number {
    return this.known.size;
  }
}

/**
 * Members of the tree led by `leader`, from one snapshot of the process table. `known` are identities seen
 * earlier (a descendant that was orphaned and re-parented to init is still found this way).
 */
export function treeMembers(
  leader: ProcessIdentity,
  table: readonly ProcStat[],
  known: Iterable<ProcessIdentity> = [],
): ProcessIdentity[] {
  const byPid = new Map<number, ProcStat>();
  for (const p of table) byPid.set(p.pid, p);
  const leaderNow = byPid.get(leader.pid);
  // If the leader's pid now names a different process, session and group ids equal to it are someone
  // else's; only parent links from still-known members can be trusted.
  const pidReused = leaderNow !== undefined && leaderNow.startTime !== leader.startTime;

  const members = new Map<number, ProcStat>();
  if (leaderNow && !pidReused) members.set(leaderNow.pid, leaderNow);
  if (!pidReused) {
    for (const p of table) {
      if ((p.session === leader.pid || p.pgrp === leader.pid) && p.startTime >= leader.startTime) {
        members.set(p.pid, p);
      }
    }
  }
  for (const k of known) {
    const p = byPid.get(k.pid);
    if (p && p.startTime === k.startTime) members.set(p.pid, p);
  }
  // Close over parent links: children of members are members.
  const children = new Map<number, ProcStat[]>();
  for (const p of table) {
    const list = children.get(p.ppid);
    if (list) list.push(p);
    else children.set(p.ppid, [p]);
  }
  const queue = [...members.values()];
  while (queue.length > 0) {
    const p = queue.pop()!;
    for (const c of children.get(p.pid) ?? []) {
      if (!members.has(c.pid) && c.startTime >= p.startTime) {
        members.set(c.pid, c);
        queue.push(c);
      }
    }
  }
  return [...members.values()].map((p) => ({ pid: p.pid, startTime: p.startTime }));
}

export async function liveTreeMembers(
  leader: ProcessIdentity,
  known: Iterable<ProcessIdentity> = [],
): Promise<ProcessIdentity[]> {
  return treeMembers(leader, await listProcesses(), known);
}

export function liveTreeMembersSync(
  leader: ProcessIdentity,
  known: Iterable<ProcessIdentity> = [],
): ProcessIdentity[] {
  return treeMembers(leader, listProcessesSync(), known);
}

/** The subset of `ids` still alive, checked one by one against their recorded start times. */
export async function stillAlive(ids: readonly ProcessIdentity[]): Promise<ProcessIdentity[]> {
  const alive = await Promise.all(ids.map((id) => isAlive(id)));
  return ids.filter((_, i) => alive[i]);
}
