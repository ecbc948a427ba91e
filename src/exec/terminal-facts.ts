// Facts about terminals read from the kernel, for the monitor and for listings: the ports their trees listen on
// (a `listening` event for a port never seen before) and whether they wait for input (`waiting` events come
// from ManagedProcess.onWaitingChange).
import { waitingForInput } from './input-wait.js';
import type { ManagedProcess } from './managed-process.js';
import { scanPorts } from './ports.js';
import type { ExecEvents } from './process-types.js';
import type { TypedEmitter } from './typed-emitter.js';
import { yieldEvery } from './yield-every.js';

const TERMINALS_PER_TURN = 16;

/** A terminal counts as waiting only after printing nothing for this long. */
export const QUIET_MS = 3_000;

/** Scans the ports of these processes' trees (members as of their last walk); emits `listening` for new ones. */
export async function refreshPorts(procs: readonly ManagedProcess[], events: TypedEmitter<ExecEvents>): Promise<void> {
  const ports = await scanPorts(procs.map((p) => ({ members: p.members() })));
  procs.forEach((proc, i) => {
    const fresh = proc.updatePorts(ports[i]!);
    if (fresh.length === 0) return;
    events.emit('listening', {
      processId: proc.key,
      itemId: proc.meta.itemId,
      newPorts: fresh,
      ports: proc.ports,
      url: proc.url,
    });
  });
}

/** A running PTY terminal that has printed nothing for QUIET_MS: the only kind that can be waiting. */
export function quietTerminal(proc: ManagedProcess, now: number): boolean {
  return proc.exit === null && proc.child.ttyName !== null && now - (proc.lastOutputAt ?? proc.meta.startedAt) >= QUIET_MS;
}

/** Decides, from the kernel, whether each quiet terminal waits for input; the others do not. */
export async function refreshWaiting(procs: readonly ManagedProcess[]): Promise<void> {
  const turn = yieldEvery(TERMINALS_PER_TURN);
  for (const proc of procs) {
    await turn();
    const tty = proc.child.ttyName;
    const leader = proc.leader;
    const quiet = quietTerminal(proc, Date.now());
    proc.setWaiting(quiet && tty !== null && leader !== null && waitingForInput(leader, proc.members(), tty));
  }
}
