// A file per running corral that lists the processes it manages, so that a later run can find what a crashed
// run left behind. Written on every start and exit, removed on clean shutdown.
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { type ProcessIdentity, isAliveSync, readProcStatSync } from './proc.js';

export interface RegistryEntry {
  processId: string;
  osPid: number;
  startTime: number;
  command: string;
  cwd: string;
  /** Its CORRAL_MANAGED value; members that left its tree carry it too. */
  marker?: string;
}

export interface RegistryFile {
  hostPid: number;
  hostStartTime: number | null;
  /** The run's id, the prefix of its markers (marker.ts). */
  runId?: string;
  processes: RegistryEntry[];
}

export interface Leftover {
  file: string;
  hostPid: number;
  /** The run's id (files written before run ids existed have none). */
  runId: string | null;
  /** Entries whose process is still alive (same pid and start time). */
  alive: RegistryEntry[];
}

export function corralHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.CORRAL_HOME && env.CORRAL_HOME !== '' ? env.CORRAL_HOME : join(homedir(), '.corral');
}

export function registryDir(home: string): string {
  return join(home, 'run');
}

export class ProcessRegistryFile {
  readonly path: string;
  private readonly dir: string;
  private readonly hostStartTime = readProcStatSync(process.pid)?.startTime ?? null;

  constructor(
    home: string,
    private readonly runId: string,
  ) {
    this.dir = registryDir(home);
    this.path = join(this.dir, `${process.pid}.json`);
  }

  /** Replaces the file's contents atomically (write then rename), so a crash never leaves half a file. */
  write(processes: readonly RegistryEntry[]): void {
    const body: RegistryFile = {
      hostPid: process.pid,
      hostStartTime: this.hostStartTime,
      runId: this.runId,
      processes: [...processes],
    };
    try {
      mkdirSync(this.dir, { recursive: true });
      const tmp = `${this.path}.tmp`;
      writeFileSync(tmp, JSON.stringify(body, null, 1));
      renameSync(tmp, this.path);
    } catch {
      // The registry is a recovery aid; failing to write it must not fail the command.
    }
  }

  remove(): void {
    rmSync(this.path, { force: true });
    rmSync(`${this.path}.tmp`, { force: true });
  }
}

function readRegistry(path: string): RegistryFile | null {
  try {
    const data = JSON.parse(readFileSync(path, 'utf8')) as RegistryFile;
    return Array.isArray(data.processes) && typeof data.hostPid === 'number' ? data : null;
  } catch {
    return null;
  }
}

/**
 * Registry files of corral runs that are no longer alive, with those of their processes that still run.
 * Files of dead runs whose processes are all gone are removed.
 */
export function findLeftovers(home: string): Leftover[] {
  const dir = registryDir(home);
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
  const out: Leftover[] = [];
  for (const name of names) {
    const file = join(dir, name);
    const reg = readRegistry(file);
    if (!reg) continue;
    const host: ProcessIdentity | null =
      reg.hostStartTime === null ? null : { pid: reg.hostPid, startTime: reg.hostStartTime };
    if (host && isAliveSync(host)) continue; // that run is still going
    const alive = reg.processes.filter((p) => isAliveSync({ pid: p.osPid, startTime: p.startTime }));
    if (alive.length === 0) rmSync(file, { force: true });
    else out.push({ file, hostPid: reg.hostPid, runId: reg.runId ?? null, alive });
  }
  return out;
}
