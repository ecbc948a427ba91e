// The person's side of the conversation: sending messages (or queueing them while a turn runs), interrupting
// the turn, and answering the model's approval requests.
import type { CorralClient } from '../protocol/client.js';
import { cellId } from './cells.js';
import type { TuiState } from './state.js';

export type Decision = 'accept' | 'acceptForSession' | 'decline' | 'cancel';

export interface ApprovalAsk {
  requestId: string;
  itemId: string;
  command: string;
  cwd: string;
  reason: string | null;
  prefix: string[];
}

export class Conversation {
  private readonly waiting: { requestId: string; resolve: (d: Decision) => void }[] = [];

  constructor(
    private readonly client: CorralClient,
    private readonly state: TuiState,
    private readonly threadId: () => string,
  ) {}

  get turnRunning(): boolean {
    return this.state.status.get().turn !== null;
  }

  /** Sends a message, or queues it while a turn runs. */
  async send(text: string): Promise<void> {
    if (this.turnRunning) {
      this.state.composer.set((c) => ({ ...c, queued: [...c.queued, text] }));
      return;
    }
    this.state.append({ kind: 'user', id: cellId('user'), text });
    // Shown at once; turn/started confirms it (and carries the real start time).
    this.state.setStatus({ turn: { id: '', startedAt: Date.now() } });
    try {
      const { turn } = await this.client.request('turn/start', { threadId: this.threadId(), input: [{ type: 'text', text }] });
      this.state.status.set((s) => (s.turn?.id === '' ? { ...s, turn: { id: turn.id, startedAt: s.turn.startedAt } } : s));
    } catch (err) {
      this.state.setStatus({ turn: null });
      this.state.append({ kind: 'info', id: cellId('info'), text: (err as Error).message });
    }
  }

  /** The turn ended: the next queued message goes out. */
  turnEnded(): void {
    const [next, ...rest] = this.state.composer.get().queued;
    if (next === undefined) return;
    this.state.composer.set((c) => ({ ...c, queued: rest }));
    void this.send(next);
  }

  /** ↑ on an empty composer: the newest queued message comes back for editing. */
  takeLastQueued(): string | null {
    const queued = this.state.composer.get().queued;
    const last = queued.at(-1);
    if (last === undefined) return null;
    this.state.composer.set((c) => ({ ...c, queued: queued.slice(0, -1) }));
    return last;
  }

  interrupt(): boolean {
    const turn = this.state.status.get().turn;
    if (!turn) return false;
    if (turn.id !== '') void this.client.request('turn/interrupt', { threadId: this.threadId(), turnId: turn.id }).catch(() => undefined);
    return true;
  }

  /** The model asks; the prompt shows until the person answers (one at a time, in order). */
  ask(req: ApprovalAsk): Promise<Decision> {
    return new Promise((resolve) => {
      this.waiting.push({ requestId: req.requestId, resolve });
      if (this.waiting.length === 1) this.show(req);
      else this.pendingPrompts.push(req);
    });
  }

  private readonly pendingPrompts: ApprovalAsk[] = [];

  private show(req: ApprovalAsk): void {
    this.state.live.set((l) => ({
      ...l,
      approval: { requestId: req.requestId, itemId: req.itemId, command: req.command, cwd: req.cwd, reason: req.reason, prefix: req.prefix.join(' ') },
    }));
  }

  get approvalPending(): boolean {
    return this.state.live.get().approval !== null;
  }

  answer(decision: Decision): void {
    const current = this.waiting.shift();
    if (!current) return;
    const cell = this.state.live.get().approval;
    this.state.live.set((l) => ({ ...l, approval: null }));
    if (cell && decision === 'acceptForSession') {
      this.state.append({ kind: 'info', id: cellId('info'), text: `Commands starting with "${cell.prefix}" run without asking for the rest of this session.` });
    }
    current.resolve(decision);
    const next = this.pendingPrompts.shift();
    if (next) this.show(next);
  }

  /** A turn ended while prompts were open: they are moot. */
  dropApprovals(): void {
    for (const w of this.waiting.splice(0)) w.resolve('decline');
    this.pendingPrompts.length = 0;
    this.state.live.set((l) => ({ ...l, approval: null }));
  }
}
