// A managed process as the manager's callers see it: a plain record, with live figures when they were measured.
import type { ManagedProcess } from './managed-process.js';
import type { ProcessRecord, TerminateResult } from './process-types.js';
import type { TreeTermination } from './terminate-tree.js';

export function toRecord(
  proc: ManagedProcess,
  live: number,
  stopping: boolean,
  cpuPercent: number | null,
  rssKb: number | null,
): ProcessRecord {
  const exit = proc.exit;
  return {
    itemId: proc.meta.itemId,
    processId: proc.key,
    command: proc.meta.command,
    cwd: proc.meta.cwd,
    osPid: proc.meta.osPid,
    cpuPercent,
    rssKb,
    startedAt: proc.meta.startedAt,
    lastOutputAt: proc.lastOutputAt,
    status: proc.status,
    exitCode: exit?.exitCode ?? null,
    signal: exit?.signal ?? null,
    tty: proc.meta.tty,
    liveProcesses: live,
    stopping,
  };
}

export function toTerminateResult(proc: ManagedProcess, t: TreeTermination): TerminateResult {
  const exit = proc.exit;
  return {
    processId: proc.key,
    itemId: proc.meta.itemId,
    command: proc.meta.command,
    terminated: t.wasRunning && t.survivors.length === 0,
    wasRunning: t.wasRunning,
    endedBy: t.endedBy,
    exitCode: exit?.exitCode ?? null,
    signal: exit?.signal ?? null,
    durationMs: t.durationMs,
    survivors: t.survivors.map((s) => s.pid),
    escaped: t.escaped,
  };
}
