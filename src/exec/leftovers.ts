// Processes an earlier corral run left running (it was killed and so was its guardian, or it crashed before one
// started), found through its registry file. They are listed, and stopped only when asked, one pid at a time.
import { detachedTarget } from './detached-target.js';
import { markerValue } from './marker.js';
import { startTimeToEpochMs } from './proc.js';
import { findLeftovers } from './registry-file.js';
import { type EndedBy, terminateTree } from './terminate-tree.js';

export interface LeftoverProcess {
  osPid: number;
  /** Clock ticks since boot: with the pid, its identity. */
  startTime: number;
  startedAtMs: number;
  command: string;
  cwd: string;
  /** The corral that started it. */
  hostPid: number;
  /** Its CORRAL_MANAGED value, when the run recorded one. */
  marker: string | null;
}

export interface LeftoverStop {
  osPid: number;
  command: string;
  /** True when it was running and nothing of its tree is left. */
  terminated: boolean;
  wasRunning: boolean;
  endedBy: EndedBy;
  durationMs: number;
  survivors: number[];
  escaped: number;
}

export function listLeftovers(home: string): LeftoverProcess[] {
  return findLeftovers(home)
    .flatMap((run) =>
      run.alive.map((p) => ({
        osPid: p.osPid,
        startTime: p.startTime,
        startedAtMs: startTimeToEpochMs(p.startTime),
        command: p.command,
        cwd: p.cwd,
        hostPid: run.hostPid,
        marker: p.marker ?? (run.runId ? markerValue(run.runId, p.processId) : null),
      })),
    )
    .sort((a, b) => a.startTime - b.startTime);
}

/** Stops the leftover with this pid (its whole tree), identity checked by start time; null when there is none. */
export async function stopLeftover(home: string, osPid: number, graceMs: number): Promise<LeftoverStop | null> {
  const p = listLeftovers(home).find((l) => l.osPid === osPid);
  if (!p) return null;
  const t = await terminateTree(detachedTarget({ pid: p.osPid, startTime: p.startTime }, [], p.marker), graceMs);
  findLeftovers(home); // removes the run's file once nothing of it is alive
  return {
    osPid,
    command: p.command,
    terminated: t.wasRunning && t.survivors.length === 0,
    wasRunning: t.wasRunning,
    endedBy: t.endedBy === 'exited' && t.wasRunning ? 'SIGTERM' : t.endedBy,
    durationMs: t.durationMs,
    survivors: t.survivors.map((s) => s.pid),
    escaped: t.escaped,
  };
}
