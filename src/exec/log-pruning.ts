// Keeps the terminal logs of all runs within bounds: `<logs>/<runId>/<processId>.log`. Run directories older
// than the age limit go first, then files, oldest first, until the total is under the cap. A run that is still
// going (its corral process is alive: run ids are `<pid>-<start time>`) is never touched, except this one's
// files that are no longer written to, which go last.
import { existsSync } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isAliveSync } from './proc.js';

export interface PruneOptions {
  /** This run's id; its directory is never removed by age. */
  runId: string;
  maxAgeDays: number;
  totalBytes: number;
  /** Paths of this run's files still being written: never removed. */
  live: ReadonlySet<string>;
  now?: number;
}

interface LogFile {
  path: string;
  bytes: number;
  mtimeMs: number;
  own: boolean;
  /** Another run's, still going: counted, never removed. */
  kept: boolean;
}

function runAlive(runId: string): boolean {
  const m = /^(\d+)-(\d+)$/.exec(runId);
  return m !== null && isAliveSync({ pid: Number(m[1]), startTime: Number(m[2]) });
}

async function entries(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}

/**
 * Returns the bytes removed and the bytes of other runs' logs that remain. Never throws: what cannot be read or
 * removed is left as it is.
 */
export async function pruneLogs(root: string, o: PruneOptions): Promise<{ removed: number; othersLeft: number }> {
  const now = o.now ?? Date.now();
  const maxAgeMs = o.maxAgeDays * 24 * 3600 * 1000;
  const files: LogFile[] = [];
  let removed = 0;
  for (const run of await entries(root)) {
    const dir = join(root, run);
    const own = run === o.runId;
    const info = await stat(dir).catch(() => null);
    if (!info?.isDirectory()) continue;
    const kept = !own && runAlive(run);
    const names = await entries(dir);
    const found = await Promise.all(
      names.map(async (name): Promise<LogFile | null> => {
        const path = join(dir, name);
        const s = await stat(path).catch(() => null);
        return s?.isFile() ? { path, bytes: s.size, mtimeMs: s.mtimeMs, own, kept } : null;
      }),
    );
    const logs = found.filter((f): f is LogFile => f !== null);
    if (!own && !kept && now - info.mtimeMs > maxAgeMs) {
      const ok = await rm(dir, { recursive: true, force: true }).then(
        () => true,
        () => false,
      );
      if (ok) {
        removed += logs.reduce((n, f) => n + f.bytes, 0);
        continue;
      }
    }
    files.push(...logs);
  }
  let total = files.reduce((n, f) => n + f.bytes, 0);
  // Other runs' files first, oldest first; this run's finished files last.
  const order = files
    .filter((f) => !f.kept && !o.live.has(f.path))
    .sort((a, b) => Number(a.own) - Number(b.own) || a.mtimeMs - b.mtimeMs);
  for (const f of order) {
    if (total <= o.totalBytes) break;
    const ok = await rm(f.path, { force: true }).then(
      () => true,
      () => false,
    );
    if (!ok) continue;
    total -= f.bytes;
    removed += f.bytes;
  }
  // Run directories left empty go too.
  for (const run of await entries(root)) {
    const dir = join(root, run);
    if (run === o.runId || !(await stat(dir).catch(() => null))?.isDirectory() || runAlive(run)) continue;
    if ((await entries(dir)).length === 0) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
  const othersLeft = files.filter((f) => !f.own && existsSync(f.path)).reduce((n, f) => n + f.bytes, 0);
  return { removed, othersLeft };
}
