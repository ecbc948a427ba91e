// What corral tells its guardian, one JSON object a line on the guardian's stdin.
import type { ProcessIdentity } from './proc.js';

export interface GuardianConfig {
  runId: string;
  /** Grace between SIGTERM and SIGKILL (the configured stop grace). */
  graceMs: number;
  /** The run's registry file, removed once everything is ended; null when there is none. */
  registryPath: string | null;
}

/** A tree to end if corral goes without ending it. */
export interface GuardedTree {
  id: string;
  leader: ProcessIdentity;
  marker: string;
}

export type GuardianMessage =
  | ({ op: 'watch' } & GuardedTree)
  | { op: 'unwatch'; id: string }
  /** corral ended everything itself: nothing to do. */
  | { op: 'bye' };

export function encode(message: GuardianMessage): string {
  return `${JSON.stringify(message)}\n`;
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;

/** The message on one line, or null for anything else (ignored: only corral writes here). */
export function decode(line: string): GuardianMessage | null {
  let m: unknown;
  try {
    m = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof m !== 'object' || m === null) return null;
  const o = m as Record<string, unknown>;
  if (o.op === 'bye') return { op: 'bye' };
  if (typeof o.id !== 'string') return null;
  if (o.op === 'unwatch') return { op: 'unwatch', id: o.id };
  const leader = o.leader as Record<string, unknown> | undefined;
  if (o.op !== 'watch' || typeof o.marker !== 'string' || !leader || !isInt(leader.pid) || !isInt(leader.startTime)) {
    return null;
  }
  return { op: 'watch', id: o.id, marker: o.marker, leader: { pid: leader.pid, startTime: leader.startTime } };
}

export function parseConfig(arg: string | undefined): GuardianConfig {
  const c = JSON.parse(arg ?? '') as Partial<GuardianConfig>;
  if (typeof c.runId !== 'string' || typeof c.graceMs !== 'number' || (c.registryPath !== null && typeof c.registryPath !== 'string')) {
    throw new Error(`bad guardian configuration: ${arg}`);
  }
  return { runId: c.runId, graceMs: c.graceMs, registryPath: c.registryPath };
}
