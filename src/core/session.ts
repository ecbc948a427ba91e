// The UI-free core: threads, the commands run in them, and their background terminals. It drives the process
// manager and reports everything as typed events.
import { randomUUID } from 'node:crypto';
import {
  type Page,
  type ProcessManager,
  type ProcessRecord,
  type ScreenLine,
  type TerminateResult,
  TypedEmitter,
  paginate,
} from '../exec/index.js';
import type { Config } from './config.js';
import { ShellCommandRun } from './shell-command.js';
import type { SessionEvents, ThreadInfo } from './session-events.js';

/** Lines of each terminal's screen returned by a list. */
export const LIST_RECENT_LINES = 3;
const ALL = 500;

export interface BackgroundTerminal extends ProcessRecord {
  recentLines: ScreenLine[];
}

export class UnknownThreadError extends Error {
  constructor(threadId: string) {
    super(`unknown thread: ${threadId}`);
    this.name = 'UnknownThreadError';
  }
}

interface ThreadState {
  info: ThreadInfo;
  /** The shell commands of this thread, by item id. */
  runs: Map<string, ShellCommandRun>;
}

export class CorralSession {
  readonly events = new TypedEmitter<SessionEvents>();
  private readonly threads = new Map<string, ThreadState>();
  private readonly runsByItem = new Map<string, ShellCommandRun>();
  private readonly runsByProcess = new Map<string, ShellCommandRun>();
  private readonly unsubscribe: (() => void)[];

  constructor(
    readonly manager: ProcessManager,
    readonly config: Config,
    private readonly cwd: string = process.cwd(),
  ) {
    const m = manager.events;
    // One subscription each, routed by item id (not one per command: output events are frequent).
    this.unsubscribe = [
      m.on('started', (e) => {
        const run = this.runsByItem.get(e.itemId);
        if (!run) return;
        this.runsByProcess.set(e.processId, run);
        run.onStarted(e.processId, e.startedAt);
      }),
      m.on('output', (e) => this.runsByItem.get(e.itemId)?.onOutput(e.processId, e.chunk)),
      m.on('exited', (e) => {
        const run = this.runsByItem.get(e.itemId);
        if (!run) return;
        run.onExited(e.processId, e.exitCode, e.signal, e.durationMs);
        if (run.isBackground) this.emitCounts(run.threadId);
      }),
      m.on('terminated', (e) => {
        const run = this.runsByProcess.get(e.processId);
        this.runsByProcess.delete(e.processId);
        if (run) this.emitCounts(run.threadId);
      }),
    ];
  }

  startThread(): ThreadInfo {
    const info: ThreadInfo = { id: randomUUID(), cwd: this.cwd, createdAt: Date.now() };
    this.threads.set(info.id, { info, runs: new Map() });
    this.events.emit('threadStarted', { thread: info });
    return info;
  }

  private thread(threadId: string): ThreadState {
    const t = this.threads.get(threadId);
    if (!t) throw new UnknownThreadError(threadId);
    return t;
  }

  /** Starts a user `!` command; its progress arrives as events. */
  runShellCommand(threadId: string, command: string, size: { rows: number; cols: number }): { itemId: string; turnId: string } {
    const thread = this.thread(threadId);
    const itemId = randomUUID();
    const turnId = randomUUID();
    const run = new ShellCommandRun(this.manager, (event, payload) => this.events.emit(event, payload), {
      threadId,
      turnId,
      itemId,
      command,
      cwd: thread.info.cwd,
      rows: size.rows,
      cols: size.cols,
      windowMs: this.config.terminals.foreground_window_ms,
    });
    thread.runs.set(itemId, run);
    this.runsByItem.set(itemId, run);
    void run.run().then(() => {
      if (run.isBackground) this.emitCounts(threadId);
    });
    return { itemId, turnId };
  }

  /** Ctrl+B: the command stops holding the foreground and carries on as a background terminal. */
  backgroundShellCommand(threadId: string, itemId: string): boolean {
    const run = this.thread(threadId).runs.get(itemId);
    return run ? run.moveToBackground() : false;
  }

  /** Ctrl+C: the terminal's interrupt character, so the foreground process group gets SIGINT. */
  interruptShellCommand(threadId: string, itemId: string): boolean {
    const run = this.thread(threadId).runs.get(itemId);
    const processId = run?.item.processId;
    if (!run || run.completed || run.isBackground || !processId) return false;
    try {
      this.manager.send(processId, '\u0003');
      return true;
    } catch {
      return false;
    }
  }

  /** Resizes the terminals of the thread's running commands (their output is shown at this width). */
  resizeTerminals(threadId: string, cols: number, rows: number): void {
    for (const run of this.thread(threadId).runs.values()) {
      const processId = run.item.processId;
      if (run.completed || !processId) continue;
      try {
        this.manager.resize(processId, cols, rows);
      } catch {
        // exited meanwhile
      }
    }
  }

  private terminalIds(threadId: string): Set<string> {
    const ids = new Set<string>();
    for (const run of this.thread(threadId).runs.values()) {
      if (run.isBackground && run.item.processId && this.manager.get(run.item.processId)) ids.add(run.item.processId);
    }
    return ids;
  }

  counts(threadId: string): { running: number; exited: number } {
    let running = 0;
    let exited = 0;
    for (const id of this.terminalIds(threadId)) {
      if (this.manager.info(id)?.status === 'running') running++;
      else exited++;
    }
    return { running, exited };
  }

  private emitCounts(threadId: string): void {
    if (this.threads.has(threadId)) this.events.emit('backgroundTerminalsChanged', { threadId, ...this.counts(threadId) });
  }

  /** The thread's background terminals, sorted by id, with live CPU/RSS and their last screen lines. */
  async listBackgroundTerminals(
    threadId: string,
    cursor: string | null | undefined,
    limit: number | null | undefined,
  ): Promise<Page<BackgroundTerminal>> {
    const ids = this.terminalIds(threadId);
    const all = (await this.manager.list({ limit: ALL })).data.filter((r) => ids.has(r.processId));
    const page = paginate(all, (r) => Number(r.processId), cursor, limit);
    return {
      nextCursor: page.nextCursor,
      data: page.data.map((r) => ({ ...r, recentLines: this.manager.get(r.processId)?.screen.lines(LIST_RECENT_LINES) ?? [] })),
    };
  }

  /** Stops one of the thread's background terminals. Unknown (or another thread's) ids give false. */
  async terminateBackgroundTerminal(threadId: string, processId: string): Promise<TerminateResult | false> {
    if (!this.terminalIds(threadId).has(processId)) return false;
    this.runsByProcess.get(processId)?.markStopped();
    return this.manager.terminate(processId);
  }

  /** Stops every background terminal of the thread and forgets the exited ones. */
  async cleanBackgroundTerminals(threadId: string): Promise<TerminateResult[]> {
    const ids = [...this.terminalIds(threadId)];
    const results = await Promise.all(ids.map((id) => this.terminateBackgroundTerminal(threadId, id)));
    return results.filter((r): r is TerminateResult => r !== false);
  }

  /** Stops everything this session started and waits until it is gone. */
  async shutdown(): Promise<TerminateResult[]> {
    for (const off of this.unsubscribe) off();
    return this.manager.shutdown();
  }
}
