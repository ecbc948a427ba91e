// Keeps what is known of the terminals current without anyone asking: a census walks every tree every 2 s (so a
// descendant that is orphaned later is still known) and then reads their listening ports; a terminal's ports
// are also read shortly after it starts; every 500 ms the PTY terminals that have been quiet for 3 s are checked
// for waiting on input (nothing is read while none is quiet).
import type { ManagedProcess } from './managed-process.js';
import type { ExecEvents } from './process-types.js';
import { quietTerminal, refreshPorts, refreshWaiting } from './terminal-facts.js';
import type { TypedEmitter } from './typed-emitter.js';

const CENSUS_INTERVAL_MS = 2_000;
const WAITING_INTERVAL_MS = 500;
/** When a new terminal's ports are first read: a dev server is usually listening by then. */
const FIRST_PORTS_MS = 700;

export interface MonitorHost {
  readonly events: TypedEmitter<ExecEvents>;
  /** Stored processes (not those being terminated). */
  processes(): ManagedProcess[];
  /** Walks every tree the run accounts for in one snapshot of the process table. */
  census(): Promise<void>;
  /** Walks these trees. */
  walk(procs: readonly ManagedProcess[]): Promise<void>;
}

export class TerminalMonitor {
  private readonly censusTimer: NodeJS.Timeout;
  private readonly waitingTimer: NodeJS.Timeout;
  private readonly firstScans = new Set<NodeJS.Timeout>();
  private busy = false;
  private checking = false;

  constructor(private readonly host: MonitorHost) {
    this.censusTimer = setInterval(() => void this.tick(), CENSUS_INTERVAL_MS);
    this.censusTimer.unref();
    this.waitingTimer = setInterval(() => void this.checkWaiting(), WAITING_INTERVAL_MS);
    this.waitingTimer.unref();
  }

  /** A terminal started: read its ports soon. */
  started(proc: ManagedProcess): void {
    const timer = setTimeout(() => {
      this.firstScans.delete(timer);
      if (proc.knownCount === 0 && proc.exit) return;
      void this.host.walk([proc]).then(() => refreshPorts([proc], this.host.events));
    }, FIRST_PORTS_MS);
    timer.unref();
    this.firstScans.add(timer);
  }

  private async tick(): Promise<void> {
    if (this.busy) return; // a slow census (a busy machine) is not stacked
    this.busy = true;
    try {
      await this.host.census();
      const withTrees = this.host.processes().filter((p) => p.knownCount > 0);
      if (withTrees.length > 0) await refreshPorts(withTrees, this.host.events);
    } finally {
      this.busy = false;
    }
  }

  private async checkWaiting(): Promise<void> {
    if (this.checking) return;
    const now = Date.now();
    const candidates = this.host.processes().filter((p) => quietTerminal(p, now) || p.waitingForInput);
    if (candidates.length === 0) return;
    this.checking = true;
    try {
      await refreshWaiting(candidates);
    } finally {
      this.checking = false;
    }
  }

  stop(): void {
    clearInterval(this.censusTimer);
    clearInterval(this.waitingTimer);
    for (const t of this.firstScans) clearTimeout(t);
    this.firstScans.clear();
  }
}
