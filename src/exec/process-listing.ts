// A page of records with live figures, all read from the kernel at once: CPU and memory summed over each tree,
// the ports each tree listens on (one read of the TCP tables per network namespace), and whether each waits
// for input. The trees were walked just before, in one snapshot of the process table.
import type { ManagedProcess } from './managed-process.js';
import { toRecord } from './process-record.js';
import type { ExecEvents, ProcessRecord } from './process-types.js';
import { refreshPorts, refreshWaiting } from './terminal-facts.js';
import { treeUsage } from './tree-usage.js';
import type { TypedEmitter } from './typed-emitter.js';

export async function liveRecords(
  procs: readonly ManagedProcess[],
  stopping: (proc: ManagedProcess) => boolean,
  events: TypedEmitter<ExecEvents>,
): Promise<ProcessRecord[]> {
  const [usages] = await Promise.all([
    Promise.all(procs.map((p) => treeUsage(p.members()))),
    refreshPorts(procs, events),
    refreshWaiting(procs),
  ]);
  return procs.map((proc, i) =>
    toRecord(proc, stopping(proc), {
      liveProcesses: proc.knownCount,
      cpuPercent: usages[i]?.cpuPercent ?? null,
      rssKb: usages[i]?.rssKb ?? null,
      ports: proc.ports,
      waitingForInput: proc.waitingForInput,
    }),
  );
}
