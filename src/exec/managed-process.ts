// One managed command: its child, its bounded output history, its screen, its log, and what is known of its
// tree (members, listening ports, whether it waits for input).
import type { ChildExit, ChildHandle } from './child.js';
import { pin } from './chunk-lease.js';
import { FirstUrl } from './first-url.js';
import { HeadTailBuffer, type Drained } from './head-tail-buffer.js';
import { HeadlessScreen } from './headless-screen.js';
import type { ProcStat, ProcessIdentity } from './proc.js';
import { TrackedTree } from './process-tree.js';
import { exitCodeForSignal } from './signals.js';
import type { ExecRequest } from './process-types.js';
import type { TerminalLog } from './terminal-log.js';
import type { TreeTarget } from './terminate-tree.js';
import { Utf8Chunker } from './utf8-chunker.js';

export type ProcessStatus = 'running' | 'exited';

export interface ProcessMeta {
  processId: number;
  itemId: string;
  command: string;
  cwd: string;
  tty: boolean;
  /** Epoch milliseconds. */
  startedAt: number;
  osPid: number;
  /** Clock ticks since boot (field 22 of /proc/PID/stat); null if the process was gone before it was read. */
  osStartTime: number | null;
  /** Its CORRAL_MANAGED value (marker.ts). */
  marker: string;
}

export interface ExitInfo {
  exitCode: number;
  signal: NodeJS.Signals | null;
  endedAt: number;
  durationMs: number;
}

/** What was asked for, kept so the command can be run again (cwd resolved). */
export type StoredRequest = Readonly<Omit<ExecRequest, 'background' | 'yieldMs'>>;

export interface ManagedOptions {
  outputCapacity: number;
  cols: number;
  rows: number;
  scrollback: number;
  request: StoredRequest;
  /** Where its raw output is logged; null: not logged. */
  log: TerminalLog | null;
}

/** Where its output goes as deltas: UTF-8-safe pieces, made only while someone wants them. */
export interface OutputDeltas {
  emit: (piece: Buffer) => void;
  wanted: () => boolean;
}

/** How long an exit waits for the screen to finish parsing before it is reported anyway. */
const SCREEN_SETTLE_MS = 250;

export class ManagedProcess {
  readonly key: string;
  readonly output: HeadTailBuffer;
  readonly screen: HeadlessScreen;
  lastUsedAt: number;
  lastOutputAt: number | null = null;
  totalBytes = 0;
  exit: ExitInfo | null = null;
  readonly request: StoredRequest;
  readonly log: TerminalLog | null;
  /** Listening TCP ports of its tree at the last scan, sorted. */
  ports: number[] = [];
  /** Every port its tree was ever seen listening on (a notice is due only for a new one). */
  private readonly portsSeen = new Set<number>();
  private waiting = false;
  private waitingListener: ((waiting: boolean) => void) | null = null;
  private readonly firstUrl: FirstUrl;
  private readonly tree: TrackedTree;
  private readonly chunker = new Utf8Chunker();
  private readonly exitWaiters: (() => void)[] = [];
  readonly exited: Promise<ExitInfo>;

  constructor(
    readonly meta: ProcessMeta,
    readonly child: ChildHandle,
    opts: ManagedOptions,
    private readonly deltas: OutputDeltas,
  ) {
    this.key = String(meta.processId);
    this.lastUsedAt = meta.startedAt;
    this.request = opts.request;
    this.log = opts.log;
    this.output = new HeadTailBuffer(opts.outputCapacity);
    this.screen = new HeadlessScreen({
      cols: opts.cols,
      rows: opts.rows,
      scrollback: opts.scrollback,
      convertEol: !child.tty,
    });
    if (child.tty) this.screen.onReply((reply) => child.write(reply));
    this.firstUrl = new FirstUrl(this.screen);
    this.tree = new TrackedTree(this.leader);

    child.onData((chunk) => this.ingest(chunk));
    this.exited = new Promise((resolve) => {
      child.onExit((exit) => {
        void this.finish(exit).then((info) => {
          resolve(info);
          for (const w of this.exitWaiters.splice(0)) w();
        });
      });
    });
  }

  get status(): ProcessStatus {
    return this.exit ? 'exited' : 'running';
  }

  get leader(): ProcessIdentity | null {
    return this.meta.osStartTime === null ? null : { pid: this.meta.osPid, startTime: this.meta.osStartTime };
  }

  private ingest(chunk: Buffer): void {
    this.totalBytes += chunk.length;
    this.lastOutputAt = Date.now();
    this.output.append(chunk);
    this.screen.write(chunk);
    this.log?.append(chunk);
    if (this.waiting) this.setWaiting(false); // it printed: no longer waiting
    // Cutting a flood into deltas costs the event loop more than anything else here: only when someone takes them.
    if (this.deltas.wanted()) {
      pin(chunk); // the deltas are views on it, and their listeners keep what they like
      this.chunker.push(chunk, this.deltas.emit);
    } else this.chunker.skip(chunk);
  }

  /** The first http(s) URL it printed, once seen on its screen. */
  get url(): string | null {
    return this.firstUrl.url;
  }

  /** Whether its foreground program waits for input (set by the monitor, cleared by output). */
  get waitingForInput(): boolean {
    return this.waiting;
  }

  setWaiting(waiting: boolean): void {
    if (this.waiting === waiting) return;
    this.waiting = waiting;
    this.waitingListener?.(waiting);
  }

  onWaitingChange(listener: (waiting: boolean) => void): void {
    this.waitingListener = listener;
  }

  /** Records the ports of a scan; returns those never seen before. */
  updatePorts(ports: number[]): number[] {
    this.ports = ports;
    const fresh = ports.filter((p) => !this.portsSeen.has(p));
    for (const p of fresh) this.portsSeen.add(p);
    return fresh;
  }

  private async finish(exit: ChildExit): Promise<ExitInfo> {
    this.chunker.flush(this.deltas.emit);
    this.setWaiting(false);
    await Promise.race([this.screen.whenIdle(true), new Promise((r) => setTimeout(r, SCREEN_SETTLE_MS))]);
    const endedAt = Date.now();
    this.exit = {
      exitCode: exit.signal ? exitCodeForSignal(exit.signal) : (exit.exitCode ?? 0),
      signal: exit.signal,
      endedAt,
      durationMs: endedAt - this.meta.startedAt,
    };
    return this.exit;
  }

  /** Resolves true once the exit is observed, or false after `ms`. */
  waitExit(ms: number): Promise<boolean> {
    if (this.exit) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      this.exitWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  drain(): Drained {
    return this.output.drain();
  }

  /** Finds the tree's live members in a snapshot of the process table (see TrackedTree). */
  refreshMembers(table: readonly ProcStat[], marked?: readonly ProcessIdentity[]): void {
    this.tree.refresh(table, marked);
  }

  /** Members found at the last walk. */
  members(): ProcessIdentity[] {
    return [...this.tree.members()];
  }

  /** Members found at the last walk (may include some that ended since). */
  get knownCount(): number {
    return this.tree.knownCount;
  }

  treeTarget(): TreeTarget {
    return {
      leader: this.leader,
      known: () => this.tree.members(),
      leaderExited: () => this.exit !== null,
      waitLeaderExit: (ms) => this.waitExit(ms),
      leaderSignal: () => this.exit?.signal ?? null,
      marker: this.meta.marker,
    };
  }

  dispose(): void {
    this.child.dispose();
    this.output.reset();
    this.firstUrl.dispose();
    this.waitingListener = null;
    this.screen.dispose();
  }
}
