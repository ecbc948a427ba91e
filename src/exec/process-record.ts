// A managed process as the manager's callers see it: a plain record, with live figures when they were measured.
import type { Drained } from './head-tail-buffer.js';
import type { ExitInfo, ManagedProcess } from './managed-process.js';
import type { ExecEvents, ExecResult, ProcessRecord, TerminateResult } from './process-types.js';
import type { RegistryEntry } from './registry-file.js';
import type { TreeTermination } from './terminate-tree.js';

/** What a listing measures; `info` has only the last known values. */
export interface LiveFigures {
  liveProcesses: number;
  cpuPercent: number | null;
  rssKb: number | null;
  ports: number[];
  waitingForInput: boolean;
}

/** The last known figures, without reading anything. */
export function lastKnown(proc: ManagedProcess): LiveFigures {
  return {
    liveProcesses: proc.knownCount,
    cpuPercent: null,
    rssKb: null,
    ports: proc.ports,
    waitingForInput: proc.waitingForInput,
  };
}

export function toRecord(proc: ManagedProcess, stopping: boolean, live: LiveFigures): ProcessRecord {
  const exit = proc.exit;
  return {
    itemId: proc.meta.itemId,
    processId: proc.key,
    command: proc.meta.command,
    cwd: proc.meta.cwd,
    osPid: proc.meta.osPid,
    cpuPercent: live.cpuPercent,
    rssKb: live.rssKb,
    startedAt: proc.meta.startedAt,
    lastOutputAt: proc.lastOutputAt,
    status: proc.status,
    exitCode: exit?.exitCode ?? null,
    signal: exit?.signal ?? null,
    tty: proc.meta.tty,
    liveProcesses: live.liveProcesses,
    stopping,
    ports: [...live.ports],
    url: proc.url,
    waitingForInput: live.waitingForInput,
    logPath: proc.log?.path ?? null,
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

/** Its line in the registry file (registry-file.ts); null if it was gone before its start time was read. */
export function registryEntry(proc: ManagedProcess): RegistryEntry | null {
  if (proc.meta.osStartTime === null) return null;
  return {
    processId: proc.key,
    osPid: proc.meta.osPid,
    startTime: proc.meta.osStartTime,
    command: proc.meta.command,
    cwd: proc.meta.cwd,
    marker: proc.meta.marker,
  };
}

/** The last result of each process (a tree stopped twice at once has two). */
export function onePerProcess(results: TerminateResult[]): TerminateResult[] {
  const seen = new Map<string, TerminateResult>();
  for (const r of results) seen.set(r.processId, r);
  return [...seen.values()];
}

export function startedEvent(proc: ManagedProcess): ExecEvents['started'] {
  const { meta } = proc;
  return {
    processId: proc.key,
    itemId: meta.itemId,
    command: meta.command,
    cwd: meta.cwd,
    osPid: meta.osPid,
    tty: meta.tty,
    startedAt: meta.startedAt,
  };
}

export function exitFigures(exit: ExitInfo): Pick<ExecEvents['exited'], 'exitCode' | 'signal' | 'durationMs'> {
  return { exitCode: exit.exitCode, signal: exit.signal, durationMs: exit.durationMs };
}

/** A call's result: the output drained now, and the status as of now. */
export function toExecResult(proc: ManagedProcess, drained: Drained, started: number): ExecResult {
  const exit = proc.exit;
  return {
    processId: proc.key,
    status: exit ? 'exited' : 'running',
    exitCode: exit?.exitCode ?? null,
    signal: exit?.signal ?? null,
    output: drained.bytes.toString('utf8'),
    omittedBytes: drained.omittedBytes,
    wallTimeMs: Date.now() - started,
  };
}
