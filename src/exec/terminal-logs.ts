// Every terminal's output log of this run: `<home>/logs/<runId>/<processId>.log`. Process ids restart with every
// run and two corral runs may run at once, so each run has its own directory. Old runs are pruned at start
// (log-pruning.ts). Any file-system error stops logging for the whole run; it is said once (`onStopped`) and
// nothing throws.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pruneLogs } from './log-pruning.js';
import { DEFAULT_LOG_CAP, TerminalLog } from './terminal-log.js';

export interface LogOptions {
  /** Cap of one terminal's file; default 64 MiB (its first 1 MiB and the newest data are kept). */
  perTerminalBytes?: number;
  /** Cap of all runs' logs together, enforced at start, oldest files first; default 1 GiB. */
  totalBytes?: number;
  /** Runs older than this are removed at start; default 7. */
  maxAgeDays?: number;
}

export const DEFAULT_TOTAL_LOG_BYTES = 1024 * 1024 * 1024;
export const DEFAULT_LOG_AGE_DAYS = 7;

export function logsRoot(home: string): string {
  return join(home, 'logs');
}

export class TerminalLogs {
  readonly dir: string;
  /** Pruning of earlier runs' logs, started with the manager. */
  readonly pruned: Promise<void>;
  private readonly root: string;
  private readonly cap: number;
  private readonly totalBytes: number;
  /** Other runs' logs, as left by the pruning at start. */
  private othersBytes = 0;
  private readonly open = new Set<TerminalLog>();
  private made = false;
  private stopped = false;

  constructor(
    home: string,
    private readonly runId: string,
    opts: LogOptions,
    private readonly onStopped: (message: string) => void,
  ) {
    this.root = logsRoot(home);
    this.dir = join(this.root, runId);
    this.cap = opts.perTerminalBytes ?? DEFAULT_LOG_CAP;
    this.totalBytes = opts.totalBytes ?? DEFAULT_TOTAL_LOG_BYTES;
    this.pruned = pruneLogs(this.root, {
      runId,
      maxAgeDays: opts.maxAgeDays ?? DEFAULT_LOG_AGE_DAYS,
      totalBytes: this.totalBytes,
      live: new Set(),
    }).then(({ othersLeft }) => {
      this.othersBytes = othersLeft;
      this.share();
    });
  }

  /**
   * Each live log's cap: the configured one, or less when the live logs together would pass the total left by
   * other runs' logs (the total cap holds during a run, not only at start).
   */
  private capEach(): number {
    const room = Math.max(0, this.totalBytes - this.othersBytes);
    return Math.min(this.cap, Math.floor(room / Math.max(1, this.open.size)));
  }

  private share(): void {
    const cap = this.capEach();
    for (const log of this.open) log.setCap(cap);
  }

  /** A log for this process, or null once logging has stopped. */
  create(processId: string): TerminalLog | null {
    if (this.stopped) return null;
    if (!this.made) {
      try {
        mkdirSync(this.dir, { recursive: true, mode: 0o700 });
        this.made = true;
      } catch (err) {
        this.stop(err as NodeJS.ErrnoException);
        return null;
      }
    }
    const log = new TerminalLog(join(this.dir, `${processId}.log`), this.cap, (err) => this.stop(err));
    this.open.add(log);
    this.share();
    return log;
  }

  /** The terminal was stopped by a person or forgotten: its log goes. */
  async remove(log: TerminalLog): Promise<void> {
    this.open.delete(log);
    this.share();
    await log.remove();
  }

  /** The terminal is gone but its log stays (for a look after the fact). */
  async close(log: TerminalLog): Promise<void> {
    this.open.delete(log);
    await log.close();
  }

  /** Writes out and closes every log (they are kept). */
  async closeAll(): Promise<void> {
    await Promise.all([...this.open].map((l) => this.close(l)));
  }

  private stop(err: NodeJS.ErrnoException): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const log of this.open) log.stop();
    const why = err.code ?? err.message;
    this.onStopped(`terminal logs stopped: cannot write to ${this.dir} (${why}); output is still shown but no longer logged`);
  }
}
