// The TUI's state, split by how often it changes so that each part re-renders only what shows it:
// the transcript (when a cell finishes), the live cells (up to ~30 times a second while output flows),
// the status line (counts, hints) and the composer (every keystroke).
import type { BackgroundTerminalData } from '../protocol/shapes.js';
import type { ApprovalPrompt, Cell, ExecCell } from './cells.js';
import { type Store, createStore } from './store.js';

export interface TranscriptState {
  /** Finished cells not yet printed, oldest first. The transcript prints them once into the terminal's own
   * scrollback and drops them, so nothing here grows with the length of the conversation. */
  pending: Cell[];
  /** Set by /clear and /new: the screen and its scrollback are cleared before anything else is printed. */
  clearScreen: boolean;
  /** Counts what has been printed, a batch at a time. */
  batch: number;
}

export interface LiveState {
  /** Commands running in the foreground, oldest first. */
  running: ExecCell[];
  /** The agent message being streamed: the Markdown not yet moved to the transcript (an open block). */
  streaming: { itemId: string; markdown: string; first: boolean } | null;
  /** Reasoning being streamed, shown as a dim `Thinking…` line. */
  thinking: { itemId: string; summary: string } | null;
  /** A command waiting for the person's approval. */
  approval: ApprovalPrompt | null;
}

export interface StatusState {
  threadId: string;
  backgroundRunning: number;
  backgroundExited: number;
  /** Set after one Ctrl+C with nothing to interrupt: the next one quits. */
  quitArmed: boolean;
  /** Shown while corral stops its terminals on the way out. */
  quitting: boolean;
  /** Everything is stopped: only the transcript stays on screen. */
  done: boolean;
  /** The turn in progress, if any (for `Working (12s • esc to interrupt)`). */
  turn: { id: string; startedAt: number } | null;
  /** The configured model, shown in the footer; null when none is configured. */
  model: string | null;
  /** Terminals waiting for input (the kernel says their foreground process reads the terminal), by id. */
  waiting: string[];
  /** The process shown full-screen (attach): the live region is hidden and the transcript waits meanwhile. */
  attached: string | null;
}

/** The interactive /ps (`/ps -i`, Ctrl+T): the thread's terminals, one selected, maybe a stop to confirm. */
export interface PickerState {
  open: boolean;
  terminals: BackgroundTerminalData[];
  /** The selected terminal's id (kept across refreshes); null when there is none. */
  selected: string | null;
  /** Asking "Stop [id] cmd? y/n" about this terminal. */
  confirmStop: string | null;
  /** Shown in place of the list (a failed refresh). */
  error: string | null;
}

export interface PopupEntry {
  /** What the entry puts in the composer. */
  value: string;
  label: string;
  description?: string;
}

export interface Popup {
  kind: 'commands' | 'args';
  entries: PopupEntry[];
  /** Index in the composer text where the completed word starts. */
  replaceFrom: number;
}

export interface ComposerState {
  text: string;
  cursor: number;
  popup: Popup | null;
  /** Selected entry of the popup. */
  selected: number;
  /** Messages typed while a turn runs, sent in order when it ends (shown dim; ↑ edits the last). */
  queued: string[];
}

export class TuiState {
  readonly transcript: Store<TranscriptState> = createStore<TranscriptState>({ pending: [], clearScreen: false, batch: 0 });
  readonly live: Store<LiveState> = createStore<LiveState>({ running: [], streaming: null, thinking: null, approval: null });
  readonly status: Store<StatusState>;
  readonly composer: Store<ComposerState> = createStore<ComposerState>({ text: '', cursor: 0, popup: null, selected: 0, queued: [] });
  readonly picker: Store<PickerState> = createStore<PickerState>({ open: false, terminals: [], selected: null, confirmStop: null, error: null });
  /** Ids of this thread's background terminals, for short `/stop` hints. */
  readonly terminalIds = new Set<string>();

  constructor(threadId: string) {
    this.status = createStore<StatusState>({
      threadId,
      backgroundRunning: 0,
      backgroundExited: 0,
      quitArmed: false,
      quitting: false,
      done: false,
      turn: null,
      model: null,
      waiting: [],
      attached: null,
    });
  }

  append(...cells: Cell[]): void {
    if (cells.length === 0) return;
    this.transcript.set((t) => ({ ...t, pending: [...t.pending, ...cells] }));
  }

  /** Drops what is waiting to be printed and clears the screen before what comes next. */
  clear(): void {
    this.transcript.set((t) => ({ ...t, pending: [], clearScreen: true }));
  }

  /** The first `count` pending cells (and the clear, if `cleared`) are on the screen now. */
  printed(count: number, cleared: boolean): void {
    this.transcript.set((t) => ({ pending: t.pending.slice(count), clearScreen: t.clearScreen && !cleared, batch: t.batch + 1 }));
  }

  startExec(cell: ExecCell): void {
    this.live.set((l) => ({ ...l, running: [...l.running.filter((c) => c.id !== cell.id), cell] }));
  }

  execRunning(id: string): ExecCell | undefined {
    return this.live.get().running.find((c) => c.id === id);
  }

  updateExec(id: string, patch: Partial<ExecCell>): void {
    this.live.set((l) => {
      if (!l.running.some((c) => c.id === id)) return l;
      return { ...l, running: l.running.map((c) => (c.id === id ? { ...c, ...patch } : c)) };
    });
  }

  /** Moves a running cell into the transcript with its final state. */
  finishExec(id: string, patch: Partial<ExecCell>): void {
    const cell = this.execRunning(id);
    if (!cell) return;
    this.live.set((l) => ({ ...l, running: l.running.filter((c) => c.id !== id) }));
    this.append({ ...cell, ...patch });
  }

  /** The foreground command Ctrl+C and Esc act on: the newest one. */
  foregroundExec(): ExecCell | undefined {
    const running = this.live.get().running;
    return running[running.length - 1];
  }

  /** Marks a terminal as waiting for input, or not. */
  setWaiting(processId: string, waiting: boolean): void {
    this.status.set((s) => {
      const has = s.waiting.includes(processId);
      if (has === waiting) return s;
      return { ...s, waiting: waiting ? [...s.waiting, processId] : s.waiting.filter((id) => id !== processId) };
    });
  }

  setCounts(running: number, exited: number): void {
    this.status.set((s) => (s.backgroundRunning === running && s.backgroundExited === exited ? s : { ...s, backgroundRunning: running, backgroundExited: exited }));
  }

  setStatus(patch: Partial<StatusState>): void {
    this.status.set((s) => ({ ...s, ...patch }));
  }
}
