// This run's marked processes in a snapshot of the process table, by the manager's process id: how a tree walk
// finds members that left the tree (setsid, double fork) before any walk saw them. A process that started before
// this run cannot be ours and is never read; every other process's environ is read once (the result is kept by
// pid and start time, for as long as the process is in the table), so a census costs next to nothing.
import { markerOf } from './marker.js';
import { type ProcStat, type ProcessIdentity, readProcStatSync } from './proc.js';

export class RunMarkers {
  private seen = new Map<number, { startTime: number; processId: string | null }>();
  private readonly prefix: string;
  /** This run's start, in clock ticks since boot. */
  private readonly since: number;

  constructor(runId: string) {
    this.prefix = `${runId}:`;
    this.since = readProcStatSync(process.pid)?.startTime ?? 0;
  }

  async scan(table: readonly ProcStat[]): Promise<Map<string, ProcessIdentity[]>> {
    const next = new Map<number, { startTime: number; processId: string | null }>();
    await Promise.all(
      table.map(async (p) => {
        if (p.startTime < this.since || p.pid === process.pid) return;
        const known = this.seen.get(p.pid);
        next.set(p.pid, known?.startTime === p.startTime ? known : { startTime: p.startTime, processId: await this.read(p.pid) });
      }),
    );
    this.seen = next;
    const byProcess = new Map<string, ProcessIdentity[]>();
    for (const [pid, { startTime, processId }] of next) {
      if (processId === null) continue;
      const list = byProcess.get(processId) ?? [];
      list.push({ pid, startTime });
      byProcess.set(processId, list);
    }
    return byProcess;
  }

  /** The manager's process id in this process's marker, if it carries one of this run. */
  private async read(pid: number): Promise<string | null> {
    const value = await markerOf(pid);
    return value?.startsWith(this.prefix) ? value.slice(this.prefix.length) : null;
  }
}
