// Every child corral starts carries CORRAL_MANAGED=<runId>:<processId> in its environment. Children inherit it,
// so members that left the tree (setsid, double fork, re-parented to init before a census saw them) are still
// found by scanning /proc/*/environ: by a stop, by the guardian, and by tests.
import { readFileSync, readdirSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { type ProcessIdentity, isGoneState, readProcStat, readProcStatSync } from './proc.js';

export const MARKER_VAR = 'CORRAL_MANAGED';
const NEEDLE = `${MARKER_VAR}=`;

let runIdCache: string | undefined;

/** This corral run: `<pid>-<start time in ticks>`, unique on this machine until reboot. */
export function currentRunId(): string {
  runIdCache ??= `${process.pid}-${readProcStatSync(process.pid)?.startTime ?? Date.now()}`;
  return runIdCache;
}

export function markerValue(runId: string, processId: string): string {
  return `${runId}:${processId}`;
}

/** The environment of a child with its marker set last, so no override can remove or forge it. */
export function withMarker(env: Record<string, string>, marker: string): Record<string, string> {
  return { ...env, [MARKER_VAR]: marker };
}

/** Which markers a scan is after. */
export type MarkerMatch = (marker: string) => boolean;

/** One process's marker. */
export const exactly =
  (marker: string): MarkerMatch =>
  (value) =>
    value === marker;

/** Every process of a run. */
export const ofRun =
  (runId: string): MarkerMatch =>
  (value) =>
    value.startsWith(`${runId}:`);

/** The marker in the text of /proc/PID/environ (NUL-separated), or null. */
export function markerIn(environ: string): string | null {
  let start: number;
  if (environ.startsWith(NEEDLE)) start = NEEDLE.length;
  else {
    const at = environ.indexOf(`\0${NEEDLE}`);
    if (at < 0) return null;
    start = at + 1 + NEEDLE.length;
  }
  const end = environ.indexOf('\0', start);
  return environ.slice(start, end < 0 ? undefined : end);
}

const isPidName = (name: string): boolean => name.charCodeAt(0) >= 48 && name.charCodeAt(0) <= 57;

/** A process's marker, or null (none, gone, or another user's process, which is never ours). */
export async function markerOf(pid: number): Promise<string | null> {
  try {
    return markerIn(await readFile(`/proc/${pid}/environ`, 'latin1'));
  } catch {
    return null;
  }
}

/** Live processes whose marker matches. */
export async function scanMarked(match: MarkerMatch): Promise<ProcessIdentity[]> {
  const pids = (await readdir('/proc')).filter(isPidName).map(Number);
  const found = await Promise.all(
    pids.map(async (pid) => {
      if (pid === process.pid) return null;
      const value = await markerOf(pid);
      if (value === null || !match(value)) return null;
      const stat = await readProcStat(pid);
      return stat && !isGoneState(stat.state) ? { pid, startTime: stat.startTime } : null;
    }),
  );
  return found.filter((p): p is ProcessIdentity => p !== null);
}

/** Synchronous variant for exit handlers. */
export function scanMarkedSync(match: MarkerMatch): ProcessIdentity[] {
  const out: ProcessIdentity[] = [];
  for (const name of readdirSync('/proc')) {
    if (!isPidName(name)) continue;
    const pid = Number(name);
    if (pid === process.pid) continue;
    let environ: string;
    try {
      environ = readFileSync(`/proc/${pid}/environ`, 'latin1');
    } catch {
      continue;
    }
    const value = markerIn(environ);
    if (value === null || !match(value)) continue;
    const stat = readProcStatSync(pid);
    if (stat && !isGoneState(stat.state)) out.push({ pid, startTime: stat.startTime });
  }
  return out;
}
