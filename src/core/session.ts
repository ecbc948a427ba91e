// The UI-free core: threads, the commands run in them, their background terminals and their conversations
// with the model. It drives the process manager and reports everything as typed events.
import { randomUUID } from 'node:crypto';
import { type ProcessManager, type TerminateResult, TypedEmitter } from '../exec/index.js';
import { AgentThread, type AgentThreadHost, type ModelBinding, type RestoredThread } from './agent/agent-thread.js';
import type { ApprovalPolicy } from './agent/approvals.js';
import { CommandRun, type CommandRunOptions } from './command-run.js';
import type { Config } from './config.js';
import type { Approver } from './agent/tool-runner.js';
import type { SessionEvents, ThreadInfo } from './session-events.js';
import { BackgroundTerminals } from './terminals/background-terminals.js';
import { watchNotices } from './terminals/notices.js';
import type { StoredThreadSummary, ThreadStore } from './thread-store.js';
import type { Turn } from './turns.js';
import type { ThreadItem } from './items.js';

export { LIST_RECENT_LINES, type BackgroundTerminal } from './terminals/background-terminals.js';

export class UnknownThreadError extends Error {
  constructor(threadId: string) {
    super(`unknown thread: ${threadId}`);
    this.name = 'UnknownThreadError';
  }
}

/** What the agent needs: the model, the policy, the instructions and where threads are kept. */
export interface AgentSettings {
  binding: ModelBinding | { reason: string };
  approvalPolicy: ApprovalPolicy;
  instructions(cwd: string): Promise<string>;
  /** Where threads are kept; absent keeps them in memory only. */
  store?: ThreadStore;
  /** The size model-run terminals get (the width their output is shown at). */
  terminalSize?: () => { rows: number; cols: number };
}

const NO_AGENT: AgentSettings = {
  binding: { reason: 'No model is configured.' },
  approvalPolicy: 'on-request',
  instructions: () => Promise.resolve(''),
};

interface ThreadState {
  info: ThreadInfo;
  /** The commands of this thread, by item id. */
  runs: Map<string, CommandRun>;
  agent: AgentThread;
}

export class CorralSession {
  readonly events = new TypedEmitter<SessionEvents>();
  private readonly threads = new Map<string, ThreadState>();
  private readonly runsByItem = new Map<string, CommandRun>();
  private readonly runsByProcess = new Map<string, CommandRun>();
  private readonly unsubscribe: (() => void)[];
  private approver: Approver | null = null;
  private readonly host: AgentThreadHost;
  /** Every thread's background terminals: list, name, stop, restart. */
  readonly terminals: BackgroundTerminals;

  constructor(
    readonly manager: ProcessManager,
    readonly config: { terminals: Pick<Config['terminals'], 'foreground_window_ms' | 'stop_grace_ms'> },
    private readonly cwd: string = process.cwd(),
    readonly agent: AgentSettings = NO_AGENT,
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
      m.on(
        'output',
        (e) => this.runsByItem.get(e.itemId)?.onOutput(e.processId, e.chunk),
        () => this.events.wanted('commandOutput'),
      ),
      m.on('exited', (e) => {
        const run = this.runsByItem.get(e.itemId);
        if (!run) return;
        run.onExited(e.processId, e.exitCode, e.signal, e.durationMs);
        if (run.isBackground) this.emitCounts(run.threadId);
      }),
      watchNotices({
        manager,
        owner: (processId) => {
          const run = this.runsByProcess.get(processId);
          return run ? { threadId: run.threadId, command: run.item.command, name: this.terminals.nameOf(processId) } : null;
        },
        loadedThreads: () => [...this.threads.keys()],
        emit: (notice) => this.events.emit('terminalNotice', notice),
      }),
      m.on('terminated', (e) => {
        const run = this.runsByProcess.get(e.processId);
        this.runsByProcess.delete(e.processId);
        if (run) this.emitCounts(run.threadId);
      }),
    ];
    this.terminals = new BackgroundTerminals({
      manager,
      runsOf: (threadId) => this.thread(threadId).runs.values(),
      runByProcess: (processId) => this.runsByProcess.get(processId),
      runByItem: (itemId) => this.runsByItem.get(itemId),
      launch: (opts) => this.launch(opts),
      changed: (threadId) => this.emitCounts(threadId),
    });
    this.host = {
      manager,
      emit: (event, payload) => this.events.emit(event, payload),
      binding: agent.binding,
      instructions: (cwd) => agent.instructions(cwd),
      approver: () => this.approver,
      launch: (threadId, turnId, opts) => this.launch({ ...opts, threadId, turnId }),
      findDuplicate: (_threadId, command, cwd) => this.terminals.findDuplicate(command, cwd, this.runsByProcess.values()),
      ownsProcess: (threadId, processId) => [...this.thread(threadId).runs.values()].some((r) => r.item.processId === processId),
      terminalSize: () => agent.terminalSize?.() ?? { rows: 24, cols: 80 },
      terminalFacts: (threadId) => this.terminals.modelFacts(threadId),
      openLog: (info) => (info.ephemeral ? null : (agent.store?.open(info) ?? null)),
    };
  }

  /** The model in use, or null when none is configured. */
  get model(): string | null {
    return 'model' in this.agent.binding ? this.agent.binding.model : null;
  }

  /**
   * A new thread. `inheritTerminalsFrom` carries that thread's background terminals over (the TUI's `/new` and
   * `/resume`: the person's terminals stay listed and stoppable, never orphaned from the list).
   */
  startThread(opts: { cwd?: string; ephemeral?: boolean; inheritTerminalsFrom?: string } = {}): ThreadInfo {
    const now = Date.now();
    const binding = this.agent.binding;
    const info: ThreadInfo = {
      id: randomUUID(),
      cwd: opts.cwd ?? this.cwd,
      createdAt: now,
      updatedAt: now,
      preview: '',
      model: 'model' in binding ? binding.model : null,
      modelProvider: 'providerId' in binding ? binding.providerId : 'none',
      ephemeral: opts.ephemeral ?? false,
      status: { type: 'idle' },
    };
    this.addThread(info);
    if (opts.inheritTerminalsFrom) this.moveTerminals(opts.inheritTerminalsFrom, info.id);
    this.events.emit('threadStarted', { thread: { ...info } });
    return { ...info };
  }

  /** Moves the background terminals of one thread to another. */
  moveTerminals(fromThreadId: string, toThreadId: string): void {
    const from = this.threads.get(fromThreadId);
    const to = this.thread(toThreadId);
    if (!from || from === to) return;
    for (const [itemId, run] of from.runs) {
      if (!run.isBackground || !run.item.processId || !this.manager.get(run.item.processId)) continue;
      from.runs.delete(itemId);
      to.runs.set(itemId, run);
      run.moveToThread(toThreadId);
    }
    this.emitCounts(fromThreadId);
    this.emitCounts(toThreadId);
  }

  /** Loads a thread from its log, or returns it as it is when loaded already; null when there is no such thread. */
  resumeThread(threadId: string): ThreadInfo | null {
    const existing = this.threads.get(threadId);
    if (existing) return { ...existing.info };
    const loaded = this.agent.store?.load(threadId);
    if (!loaded) return null;
    this.addThread(loaded.info, loaded.restored);
    return { ...loaded.info };
  }

  /** Threads kept on disk, newest first. */
  listStoredThreads(opts: { cursor?: string | null; limit?: number | null }): { data: StoredThreadSummary[]; nextCursor: string | null } {
    return this.agent.store?.list(opts) ?? { data: [], nextCursor: null };
  }

  private addThread(info: ThreadInfo, restored?: RestoredThread): void {
    const agent = new AgentThread(info, this.host, this.agent.approvalPolicy, restored);
    this.threads.set(info.id, { info, runs: new Map(), agent });
  }

  isLoaded(threadId: string): boolean {
    return this.threads.has(threadId);
  }

  loadedThreads(): ThreadInfo[] {
    return [...this.threads.values()].map((t) => ({ ...t.info }));
  }

  private thread(threadId: string): ThreadState {
    const t = this.threads.get(threadId);
    if (!t) throw new UnknownThreadError(threadId);
    return t;
  }

  /** The thread with its turns (items included). */
  readThread(threadId: string): { thread: ThreadInfo; turns: Turn[] } {
    const t = this.thread(threadId);
    return { thread: { ...t.info }, turns: t.agent.turns.map((turn) => ({ ...turn, items: structuredClone(turn.items) })) };
  }

  /** Whether a turn of the thread is running. */
  turnRunning(threadId: string): boolean {
    return this.thread(threadId).agent.activeTurn !== null;
  }

  /**
   * Unloads a thread (its last client left): every process it started is stopped, verified, then it is
   * forgotten (`notLoaded`; it can be resumed from its log). Callers wait for a running turn to end first.
   */
  async closeThread(threadId: string): Promise<TerminateResult[]> {
    const t = this.thread(threadId);
    const ids = [...t.runs.values()].flatMap((r) => (r.item.processId && this.manager.get(r.item.processId) ? [r.item.processId] : []));
    for (const id of ids) this.runsByProcess.get(id)?.markStopped();
    const results = await Promise.all(ids.map((id) => this.manager.terminate(id)));
    this.threads.delete(threadId);
    for (const itemId of t.runs.keys()) this.runsByItem.delete(itemId);
    t.agent.close();
    t.info.status = { type: 'notLoaded' };
    this.events.emit('threadStatusChanged', { threadId, status: t.info.status });
    this.events.emit('threadClosed', { threadId });
    return results.filter((r): r is TerminateResult => r !== false);
  }

  // The conversation

  /** Starts a turn with the person's message; it runs in the background and reports through events. */
  startTurn(threadId: string, text: string, opts: { approvalPolicy?: ApprovalPolicy } = {}): Turn {
    const t = this.thread(threadId);
    if (opts.approvalPolicy) t.agent.setPolicy(opts.approvalPolicy);
    return t.agent.startTurn(text);
  }

  interruptTurn(threadId: string, turnId?: string): boolean {
    return this.thread(threadId).agent.interrupt(turnId);
  }

  /** Resolves when the thread's running turn has ended. */
  whenTurnEnds(threadId: string): Promise<void> {
    return this.thread(threadId).agent.whenIdle();
  }

  /** Who answers the model's approval requests; null (or a null answer): nobody, and the turn fails. */
  setApprover(approver: Approver | null): void {
    this.approver = approver;
  }

  // Commands

  private launch(opts: CommandRunOptions): CommandRun {
    const thread = this.thread(opts.threadId);
    const emit: CommandRunEmit = (event, payload) => {
      if (event === 'itemCompleted') this.notePortHolder(run, (payload as SessionEvents['itemCompleted']).item);
      // The model's commands are items of its turn: kept (and logged) as they start and end.
      if ((event === 'itemStarted' || event === 'itemCompleted') && opts.source === 'agent') {
        thread.agent.commandUpdated(opts.turnId, (payload as SessionEvents['itemStarted' | 'itemCompleted']).item);
      }
      this.events.emit(event, payload);
      if (event === 'commandBackgrounded') this.emitCounts(run.threadId);
    };
    const run = new CommandRun(this.manager, emit, opts);
    thread.runs.set(opts.itemId, run);
    this.runsByItem.set(opts.itemId, run);
    return run;
  }

  /** A command that failed on a port in use: name the terminal of ours that holds it (on the item). */
  private notePortHolder(run: CommandRun, item: ThreadItem): void {
    if (item.type !== 'commandExecution' || item.status !== 'failed') return;
    // A command that outlived its window had part of its output read then: its screen's last lines have the error.
    const screen = item.terminal ? [...item.terminal.head, ...item.terminal.tail].map((l) => l.text).join('\n') : '';
    const holder = this.terminals.portHolder(`${item.aggregatedOutput ?? ''}\n${screen}`, item.command);
    if (holder && holder.processId !== item.processId) item.portHeldBy = run.item.portHeldBy = holder;
  }

  /** Starts a user `!` command; its progress arrives as events. */
  runShellCommand(threadId: string, command: string, size: { rows: number; cols: number }): { itemId: string; turnId: string } {
    const thread = this.thread(threadId);
    const itemId = randomUUID();
    const turnId = randomUUID();
    const duplicate = this.terminals.findDuplicate(command, thread.info.cwd, this.runsByProcess.values());
    const run = this.launch({
      ...(duplicate !== null && { duplicateOf: this.terminals.duplicateOf(duplicate) }),
      threadId,
      turnId,
      itemId,
      command,
      cwd: thread.info.cwd,
      rows: size.rows,
      cols: size.cols,
      windowMs: this.config.terminals.foreground_window_ms,
      source: 'userShell',
      tty: true,
      profile: 'user',
    });
    void run.run();
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
      if (run.completed || !processId || !run.item.command || !this.manager.info(processId)?.tty) continue;
      try {
        this.manager.resize(processId, cols, rows);
      } catch {
        // exited meanwhile
      }
    }
  }

  /** Whether the process is one of the thread's commands, in the foreground or the background (attach). */
  ownsProcess(threadId: string, processId: string): boolean {
    this.thread(threadId);
    return this.runsByProcess.get(processId)?.threadId === threadId && this.manager.get(processId) !== undefined;
  }

  private emitCounts(threadId: string): void {
    if (this.threads.has(threadId)) this.events.emit('backgroundTerminalsChanged', { threadId, ...this.terminals.counts(threadId) });
  }

  /** Stops everything this session started and waits until it is gone. */
  async shutdown(): Promise<TerminateResult[]> {
    for (const t of this.threads.values()) t.agent.interrupt();
    await Promise.all([...this.threads.values()].map((t) => t.agent.whenIdle()));
    for (const off of this.unsubscribe) off();
    for (const t of this.threads.values()) t.agent.close();
    return this.manager.shutdown();
  }
}

type CommandRunEmit = <K extends keyof SessionEvents>(event: K, payload: SessionEvents[K]) => void;
