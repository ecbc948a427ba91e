// Which stored process gives way when the store is full. The most recently used few are never chosen; among
// the rest an exited process goes before a live one, and the least recently used goes first.

export interface PruneCandidate {
  id: number;
  lastUsedAt: number;
  exited: boolean;
}

export const MAX_STORED_PROCESSES = 64;
export const PROTECTED_RECENT = 8;

export function chooseEviction(candidates: readonly PruneCandidate[], protectedCount = PROTECTED_RECENT): PruneCandidate | null {
  const byRecency = [...candidates].sort((a, b) => b.lastUsedAt - a.lastUsedAt || b.id - a.id);
  const open = byRecency.slice(protectedCount);
  if (open.length === 0) return null;
  const leastRecent = (list: PruneCandidate[]): PruneCandidate | null => list[list.length - 1] ?? null;
  return leastRecent(open.filter((c) => c.exited)) ?? leastRecent(open);
}
