// One thread's conversation with the model: its turns, the history sent to the model, its status, token usage
// and log file. A turn runs in the background; everything it does is reported as session events.
import { randomUUID } from 'node:crypto';
import type { ProcessManager } from '../../exec/index.js';
import type { CommandRunOptions, CommandRun } from '../command-run.js';
import type { ThreadItem, UserMessageItem } from '../items.js';
import type { ConversationItem, ModelProvider, TokenUsage } from '../model/types.js';
import { ProviderError } from '../model/types.js';
import type { ThreadLogWriter } from '../persistence/thread-log-writer.js';
import type { ApprovalDecision, ApprovalRequest, SessionEvents, ThreadInfo } from '../session-events.js';
import { TerminalContext, type TerminalFact } from '../terminals/model-context.js';
import { TOOL_SPECS } from '../tools/specs.js';
import { type TokenUsageInfo, type Turn, type ThreadStatus, ZERO_USAGE, addUsage, unixSeconds } from '../turns.js';
import { ApprovalGate, type ApprovalPolicy } from './approvals.js';
import { ApprovalUnavailableError, type Approver, TurnCancelledError, runToolCall } from './tool-runner.js';
import { turnErrorFrom } from './turn-error.js';
import { runTurnLoop } from './turn-loop.js';

type Emit = <K extends keyof SessionEvents>(event: K, payload: SessionEvents[K]) => void;

/** A model ready to be asked. */
export interface ModelBinding {
  model: string;
  providerId: string;
  provider: ModelProvider;
}

/** What a thread needs from the session around it. */
export interface AgentThreadHost {
  manager: ProcessManager;
  emit: Emit;
  /** The model, or why there is none. */
  binding: ModelBinding | { reason: string };
  instructions(cwd: string): Promise<string>;
  approver(): Approver | null;
  launch(threadId: string, turnId: string, opts: Omit<CommandRunOptions, 'threadId' | 'turnId'>): CommandRun;
  findDuplicate(threadId: string, command: string, cwd: string): string | null;
  ownsProcess(threadId: string, processId: string): boolean;
  terminalSize(): { rows: number; cols: number };
  /** The thread's background terminals as the model is told of them. */
  terminalFacts(threadId: string): Promise<TerminalFact[]>;
  /** Opens the thread's log on its first turn; null when threads are not persisted. */
  openLog(info: ThreadInfo): ThreadLogWriter | null;
}

/** The model is not configured; the message says how to configure one. */
export class NoModelError extends Error {
  override name = 'NoModelError';
}

export class TurnInProgressError extends Error {
  override name = 'TurnInProgressError';
}

export interface RestoredThread {
  turns: Turn[];
  history: ConversationItem[];
  usage: TokenUsage;
  log: ThreadLogWriter | null;
}

export class AgentThread {
  readonly turns: Turn[];
  readonly history: ConversationItem[];
  private total: TokenUsage;
  private active: { turn: Turn; abort: AbortController; done: Promise<void> } | null = null;
  private log: ThreadLogWriter | null;
  private readonly gate: ApprovalGate;
  private pendingApprovals = 0;
  private readonly terminals: TerminalContext;

  constructor(
    readonly info: ThreadInfo,
    private readonly host: AgentThreadHost,
    policy: ApprovalPolicy,
    restored?: RestoredThread,
  ) {
    this.gate = new ApprovalGate(policy);
    this.turns = restored?.turns ?? [];
    this.history = restored?.history ?? [];
    this.total = restored?.usage ?? ZERO_USAGE;
    this.log = restored?.log ?? null;
    this.terminals = new TerminalContext(() => host.terminalFacts(info.id));
  }

  get activeTurn(): Turn | null {
    return this.active?.turn ?? null;
  }

  /** Resolves when the running turn (if any) has ended. */
  whenIdle(): Promise<void> {
    return this.active?.done ?? Promise.resolve();
  }

  setPolicy(policy: ApprovalPolicy): void {
    this.gate.policy = policy;
  }

  startTurn(text: string): Turn {
    if (this.active) throw new TurnInProgressError(`a turn is already in progress (${this.active.turn.id}); interrupt it or wait`);
    const binding = this.host.binding;
    if (!('provider' in binding)) throw new NoModelError(binding.reason);
    const started = Date.now();
    const turn: Turn = { id: randomUUID(), items: [], status: 'inProgress', error: null, startedAt: unixSeconds(started), completedAt: null, durationMs: null };
    this.turns.push(turn);
    const abort = new AbortController();
    if (!this.info.preview) this.info.preview = text.slice(0, 200);
    this.info.updatedAt = started;
    this.log ??= this.host.openLog(this.info);
    this.record({ type: 'turnStarted', turnId: turn.id, startedAt: started });
    this.setStatus({ type: 'active', activeFlags: [] });
    this.host.emit('turnStarted', { threadId: this.info.id, turn: { ...turn, items: [] } });
    const done = this.runTurn(turn, text, binding, abort.signal);
    this.active = { turn, abort, done };
    return { ...turn, items: [] };
  }

  /** Interrupts the running turn; false when none runs (or it is not `turnId`). */
  interrupt(turnId?: string): boolean {
    if (!this.active || (turnId && this.active.turn.id !== turnId)) return false;
    this.active.abort.abort();
    return true;
  }

  private async runTurn(turn: Turn, text: string, binding: ModelBinding, signal: AbortSignal): Promise<void> {
    const started = Date.now();
    const user: UserMessageItem = { type: 'userMessage', id: randomUUID(), content: [{ type: 'text', text, text_elements: [] }] };
    this.itemStarted(turn, user);
    this.itemCompleted(turn, user);
    this.remember({ type: 'message', role: 'user', text });
    try {
      const instructions = await this.host.instructions(this.info.cwd);
      this.terminals.beginTurn();
      const context = () => this.terminals.message();
      await runTurnLoop(
        { provider: binding.provider, model: binding.model, instructions, tools: TOOL_SPECS, history: this.history, signal, context },
        {
          itemStarted: (item) => this.itemStarted(turn, item),
          itemCompleted: (item) => this.itemCompleted(turn, item),
          agentMessageDelta: (itemId, delta) => {
            this.growItem(turn, itemId, (item) => {
              if (item.type === 'agentMessage') item.text += delta;
            });
            this.host.emit('agentMessageDelta', { ...this.ids(turn), itemId, delta });
          },
          reasoningSummaryPartAdded: (itemId, summaryIndex) => this.host.emit('reasoningSummaryPartAdded', { ...this.ids(turn), itemId, summaryIndex }),
          reasoningSummaryDelta: (itemId, summaryIndex, delta) => {
            this.growItem(turn, itemId, (item) => {
              if (item.type !== 'reasoning') return;
              while (item.summary.length <= summaryIndex) item.summary.push('');
              item.summary[summaryIndex] += delta;
            });
            this.host.emit('reasoningSummaryTextDelta', { ...this.ids(turn), itemId, summaryIndex, delta });
          },
          reasoningTextDelta: (itemId, contentIndex, delta) => {
            this.growItem(turn, itemId, (item) => {
              if (item.type !== 'reasoning') return;
              while (item.content.length <= contentIndex) item.content.push('');
              item.content[contentIndex] += delta;
            });
            this.host.emit('reasoningTextDelta', { ...this.ids(turn), itemId, contentIndex, delta });
          },
          usage: (usage) => this.usage(turn, usage),
          history: (item) => this.record({ type: 'history', item }),
          runTool: (call) => runToolCall(call, this.toolContext(turn, signal)),
        },
      );
      this.endTurn(turn, signal.aborted ? 'interrupted' : 'completed', started);
    } catch (err) {
      if (signal.aborted || err instanceof TurnCancelledError || (err instanceof ProviderError && err.kind === 'aborted')) {
        this.endTurn(turn, 'interrupted', started);
        return;
      }
      const error = err instanceof ApprovalUnavailableError ? { message: err.message, codexErrorInfo: 'other' as const, additionalDetails: null } : turnErrorFrom(err);
      turn.error = error;
      this.host.emit('turnError', { ...this.ids(turn), error, willRetry: false });
      this.endTurn(turn, 'failed', started);
    }
  }

  /** `remember` for items the loop does not add itself. */
  private remember(item: ConversationItem): void {
    this.history.push(item);
    this.record({ type: 'history', item });
  }

  private toolContext(turn: Turn, signal: AbortSignal) {
    const threadId = this.info.id;
    const approver = this.host.approver();
    return {
      manager: this.host.manager,
      threadId,
      turnId: turn.id,
      cwd: this.info.cwd,
      signal,
      gate: this.gate,
      approver: approver && ((req: ApprovalRequest) => this.waitForApproval(approver, req)),
      launch: (opts: Omit<CommandRunOptions, 'threadId' | 'turnId'>) => this.host.launch(threadId, turn.id, opts),
      findDuplicate: (command: string, cwd: string) => this.host.findDuplicate(threadId, command, cwd),
      ownsProcess: (processId: string) => this.host.ownsProcess(threadId, processId),
      declined: (item: ThreadItem) => {
        this.itemStarted(turn, item);
        this.itemCompleted(turn, item);
      },
      terminalSize: () => this.host.terminalSize(),
    };
  }

  private waitForApproval(approver: Approver, req: ApprovalRequest): Promise<ApprovalDecision> | null {
    const answer = approver(req);
    if (!answer) return null;
    this.pendingApprovals++;
    this.setStatus({ type: 'active', activeFlags: ['waitingOnApproval'] });
    return answer.finally(() => {
      this.pendingApprovals--;
      if (this.pendingApprovals === 0 && this.active) this.setStatus({ type: 'active', activeFlags: [] });
    });
  }

  private usage(turn: Turn, last: TokenUsage): void {
    this.total = addUsage(this.total, last);
    const tokenUsage: TokenUsageInfo = { total: this.total, last, modelContextWindow: null };
    this.record({ type: 'tokenUsage', turnId: turn.id, usage: last });
    this.host.emit('tokenUsageUpdated', { ...this.ids(turn), tokenUsage });
  }

  private endTurn(turn: Turn, status: Turn['status'], startedMs: number): void {
    const now = Date.now();
    turn.status = status;
    turn.completedAt = unixSeconds(now);
    turn.durationMs = now - startedMs;
    this.info.updatedAt = now;
    this.record({ type: 'turnCompleted', turnId: turn.id, status, error: turn.error, completedAt: now, durationMs: turn.durationMs });
    // Idle before anyone hears of it: a listener may start the next turn (a queued message) right away.
    if (this.active?.turn === turn) this.active = null;
    this.setStatus({ type: 'idle' });
    this.host.emit('turnCompleted', { threadId: this.info.id, turn: { ...turn, items: [...turn.items] } });
  }

  /** Items are part of their turn from the start (a client that resumes mid-turn sees them as they are). */
  private itemStarted(turn: Turn, item: ThreadItem): void {
    if (!turn.items.some((x) => x.id === item.id)) turn.items.push(structuredClone(item));
    this.host.emit('itemStarted', { ...this.ids(turn), item, startedAtMs: Date.now() });
  }

  private growItem(turn: Turn, itemId: string, grow: (item: ThreadItem) => void): void {
    const item = turn.items.find((x) => x.id === itemId);
    if (item) grow(item);
  }

  private itemCompleted(turn: Turn, item: ThreadItem): void {
    this.store(turn, item);
    this.host.emit('itemCompleted', { ...this.ids(turn), item, completedAtMs: Date.now() });
  }

  /** A command of one of this thread's turns started or ended (its run reported it; maybe long after the turn). */
  commandUpdated(turnId: string, item: ThreadItem): void {
    const turn = this.turns.find((t) => t.id === turnId);
    if (turn) this.store(turn, item);
  }

  private store(turn: Turn, item: ThreadItem): void {
    const i = turn.items.findIndex((x) => x.id === item.id);
    if (i >= 0) turn.items[i] = item;
    else turn.items.push(item);
    this.record({ type: 'item', turnId: turn.id, item });
  }

  private setStatus(status: ThreadStatus): void {
    this.info.status = status;
    this.host.emit('threadStatusChanged', { threadId: this.info.id, status });
  }

  private record(record: { type: string; [k: string]: unknown }): void {
    this.log?.append(record);
  }

  private ids(turn: Turn): { threadId: string; turnId: string } {
    return { threadId: this.info.id, turnId: turn.id };
  }

  close(): void {
    this.log?.close();
  }
}
