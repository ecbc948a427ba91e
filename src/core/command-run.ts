// One command, from the person (`!cmd`) or the model (`exec_command`): a commandExecution item that runs in the
// foreground for a window, then either completes or carries on as a background terminal until it exits or is
// stopped.
import type { EnvProfile, ExecResult, ProcessManager } from '../exec/index.js';
import type { CommandExecutionItem, CommandExecutionSource, TerminalPreview } from './items.js';
import { MAX_STRING_BYTES, cutString } from './persistence/thread-log-writer.js';
import type { SessionEvents } from './session-events.js';

/** Lines of a running command's screen sent with each snapshot. */
export const SNAPSHOT_LINES = 20;
/** Snapshots per second at most, however fast the command writes. */
const SNAPSHOT_FPS = 30;
const FLOOD_SNAPSHOT_FPS = 10;
const FLOOD_BYTES = 256 * 1024;
const PREVIEW_LINES = 10;

type Emit = <K extends keyof SessionEvents>(event: K, payload: SessionEvents[K]) => void;

export interface CommandRunOptions {
  threadId: string;
  turnId: string;
  itemId: string;
  command: string;
  cwd: string;
  rows: number;
  cols: number;
  windowMs: number;
  /** userShell: a `!` command (PTY, the person's environment); agent: the model's exec_command. */
  source: CommandExecutionSource;
  tty: boolean;
  profile: EnvProfile;
  login?: boolean;
  shell?: string;
  /** Set by /restart: the process id of the terminal this run replaces. */
  restartOf?: string;
  /** A running background terminal with the same command and cwd (see CommandExecutionItem). */
  duplicateOf?: { processId: string; ports: number[] };
}

/**
 * How much longer a snapshot that is due now waits: during a flood (more than FLOOD_BYTES since the last one) it
 * comes FLOOD_SNAPSHOT_FPS a second; otherwise at once.
 */
export function floodWait(now: number, sentAt: number, bytesSince: number): number {
  return bytesSince > FLOOD_BYTES ? Math.max(0, sentAt + 1000 / FLOOD_SNAPSHOT_FPS - now) : 0;
}

export class CommandRun {
  readonly item: CommandExecutionItem;
  private readonly foreground = new AbortController();
  private detachScreen: (() => void) | null = null;
  private preview: TerminalPreview | null = null;
  private done = false;
  private owner: string;

  constructor(
    private readonly manager: ProcessManager,
    private readonly emit: Emit,
    readonly opts: CommandRunOptions,
  ) {
    this.owner = opts.threadId;
    this.item = {
      type: 'commandExecution',
      id: opts.itemId,
      command: opts.command,
      cwd: opts.cwd,
      processId: null,
      source: opts.source,
      status: 'inProgress',
      commandActions: [],
      aggregatedOutput: null,
      exitCode: null,
      durationMs: null,
      ...(opts.restartOf !== undefined && { restartOf: opts.restartOf }),
      ...(opts.duplicateOf !== undefined && { duplicateOf: opts.duplicateOf }),
    };
  }

  get threadId(): string {
    return this.owner;
  }

  /** A background terminal carried over to another thread (`/new`, `/resume` keep the person's terminals). */
  moveToThread(threadId: string): void {
    this.owner = threadId;
  }

  get completed(): boolean {
    return this.done;
  }

  get isBackground(): boolean {
    return this.item.backgrounded === true;
  }

  /**
   * Runs the foreground window; resolves when the command completes or moves to the background, with what the
   * manager returned (null when it could not start: the item then completes as failed).
   */
  async run(): Promise<ExecResult | null> {
    const started = Date.now();
    let result: ExecResult;
    try {
      result = await this.manager.exec({
        command: this.opts.command,
        itemId: this.opts.itemId,
        cwd: this.opts.cwd,
        tty: this.opts.tty,
        profile: this.opts.profile,
        login: this.opts.login,
        shell: this.opts.shell,
        rows: this.opts.rows,
        cols: this.opts.cols,
        yieldMs: this.opts.windowMs,
        background: this.foreground.signal,
      });
    } catch (err) {
      // Never started (bad working directory, no shell): the item still appears, as failed.
      this.emitStarted(started);
      this.finish({ exitCode: 127, signal: null, output: `corral: ${(err as Error).message}\n`, durationMs: 0 });
      return null;
    }
    if (result.status === 'exited') {
      this.finish({
        exitCode: result.exitCode ?? 0,
        signal: result.signal,
        output: result.output,
        durationMs: result.wallTimeMs,
      });
      return result;
    }
    this.item.backgrounded = true;
    this.stopSnapshots();
    this.emit('commandBackgrounded', { ...this.ids(), processId: result.processId });
    return result;
  }

  /** The manager started the process. */
  onStarted(processId: string, startedAt: number): void {
    this.item.processId = processId;
    this.emitStarted(startedAt);
    const proc = this.manager.get(processId);
    if (!proc) return;
    // At most SNAPSHOT_FPS a second; during a flood (more than FLOOD_BYTES arrived by the time the next one is
    // due) only FLOOD_SNAPSHOT_FPS: nobody reads a screen scrolling that fast, and each snapshot costs a read of
    // the screen and a frame of the UI while the command waits for them.
    let timer: NodeJS.Timeout | null = null;
    let sentAt = 0;
    let bytesAtSend = proc.totalBytes;
    /** What the last snapshot showed: one that shows the same (a line printed over and over, a redraw of the same
     * progress) is not sent again, since each costs every client a frame. */
    let lastShown = '';
    const send = (): void => {
      timer = null;
      if (this.done || this.isBackground) return;
      const now = performance.now();
      const more = floodWait(now, sentAt, proc.totalBytes - bytesAtSend);
      if (more > 0) {
        timer = setTimeout(send, more);
        return;
      }
      sentAt = now;
      bytesAtSend = proc.totalBytes;
      const lines = proc.screen.lines(SNAPSHOT_LINES);
      const alternateScreen = proc.screen.alternateScreen;
      const shown = `${alternateScreen ? 1 : 0}${JSON.stringify(lines)}`;
      if (shown === lastShown) return;
      lastShown = shown;
      this.emit('terminalSnapshot', { ...this.ids(), processId, lines, alternateScreen });
    };
    const off = proc.screen.onUpdate(() => {
      if (timer) return;
      const wait = sentAt + 1000 / SNAPSHOT_FPS - performance.now();
      if (wait <= 0) send();
      else timer = setTimeout(send, wait);
    });
    this.detachScreen = () => {
      off();
      if (timer) clearTimeout(timer);
      timer = null;
    };
  }

  onOutput(processId: string, chunk: Buffer): void {
    this.emit('commandOutput', { ...this.ids(), processId, chunk });
  }

  /** The process exited: keep what its screen shows; a background command completes now. */
  onExited(processId: string, exitCode: number, signal: string | null, durationMs: number): void {
    const proc = this.manager.get(processId);
    if (proc) {
      const { head, tail, total } = proc.screen.lineEnds(PREVIEW_LINES);
      this.preview = { head, tail, totalLines: total, ...(!proc.screen.keptAll && { linesLost: true, outputBytes: proc.totalBytes }) };
    }
    if (this.isBackground) {
      // The model reads a background command's output with write_stdin: leave its buffer alone and keep
      // what its screen shows instead.
      const output = !proc ? '' : this.opts.source === 'agent' ? proc.screen.lines().map((l) => l.text).join('\n') : proc.drain().bytes.toString('utf8');
      this.finish({ exitCode, signal, output, durationMs });
    }
  }

  /** Ends the foreground window now; the command carries on in the background. */
  moveToBackground(): boolean {
    if (this.done || this.isBackground) return false;
    this.foreground.abort();
    return true;
  }

  markStopped(): void {
    this.item.stopped = true;
  }

  private ids(): { threadId: string; turnId: string; itemId: string } {
    return { threadId: this.owner, turnId: this.opts.turnId, itemId: this.opts.itemId };
  }

  private emitStarted(startedAtMs: number): void {
    this.emit('itemStarted', { threadId: this.owner, turnId: this.opts.turnId, item: { ...this.item }, startedAtMs });
  }

  private finish(r: { exitCode: number; signal: string | null; output: string; durationMs: number }): void {
    if (this.done) return;
    this.done = true;
    this.stopSnapshots();
    Object.assign(this.item, {
      status: r.exitCode === 0 ? 'completed' : 'failed',
      exitCode: r.exitCode,
      signal: r.signal,
      durationMs: r.durationMs,
      // Cut as the thread log keeps it: a live thread then holds what a resumed one does, not up to 1 MiB per
      // command for the rest of the session (the model got its own view of the output when the command ended).
      aggregatedOutput: cutString(r.output, MAX_STRING_BYTES),
      terminal: this.preview ?? undefined,
    });
    this.emit('itemCompleted', {
      threadId: this.owner,
      turnId: this.opts.turnId,
      item: { ...this.item },
      completedAtMs: Date.now(),
    });
  }

  private stopSnapshots(): void {
    this.detachScreen?.();
    this.detachScreen = null;
  }
}
