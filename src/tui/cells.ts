// What the transcript shows: one cell per thing that happened. Plain data; components render it.
import type { LeftoverData, LeftoverStopData } from '../protocol/leftover-shapes.js';
import type { BackgroundTerminalData, NotificationParams, ScreenLineData, TerminationReportData } from '../protocol/shapes.js';

export type ScreenLine = ScreenLineData;

export interface ExecCell {
  kind: 'exec';
  id: string;
  command: string;
  processId: string | null;
  /** running: in the foreground; background: it outlived its window; completed/failed: it ended. */
  status: 'running' | 'background' | 'completed' | 'failed' | 'declined';
  /** The newest lines of its screen while it runs. */
  lines: ScreenLine[];
  exitCode: number | null;
  signal: string | null;
  durationMs: number | null;
  /** Head and tail of its screen once it ended, with the count of lines it held; `linesLost` when it no longer held
   * them all, with `outputBytes` printed in all. */
  preview: { head: ScreenLine[]; tail: ScreenLine[]; totalLines: number; linesLost?: boolean; outputBytes?: number } | null;
  /** The prefix to suggest for `/stop` once it is a background terminal. */
  stopHint?: string;
  /** The same command was already running in the same directory as this background terminal. */
  duplicateOf?: { processId: string; ports: number[] };
  /** It failed on a port in use, and this terminal of corral's holds that port. */
  portHeldBy?: { processId: string; port: number; command: string; name: string | null };
}

export interface PsCell {
  kind: 'ps';
  id: string;
  /** When the list was taken (ages are shown relative to it). */
  at: number;
  running: BackgroundTerminalData[];
  exited: BackgroundTerminalData[];
  /** Processes an earlier corral run left running; only stopped when named by pid. */
  leftovers?: LeftoverData[];
}

/** One line of a /stop report. */
export type StopLine =
  | { kind: 'stopped'; report: TerminationReportData }
  | { kind: 'leftover-stopped'; report: LeftoverStopData }
  | { kind: 'ambiguous'; query: string; candidates: { processId: string; command: string }[] }
  | { kind: 'not-found'; query: string }
  | { kind: 'already-stopping'; processId: string; command: string };

export interface StopCell {
  kind: 'stop';
  id: string;
  /** True for `/stop` with no argument. */
  all: boolean;
  lines: StopLine[];
  /** Leftovers of an earlier run still running after a `/stop` of all (which never touches them). */
  leftoversRemaining?: number;
}

/** What a /restart did: the stop, then the new terminal (or why there is none). */
export interface RestartCell {
  kind: 'restart';
  id: string;
  command: string;
  name: string | null;
  report: TerminationReportData;
  newProcessId: string | null;
  error: string | null;
}

/** A terminal listens on a new port or waits for input; logging stopped. */
export interface NoticeCell {
  kind: 'notice';
  id: string;
  notice: Omit<NotificationParams<'thread/backgroundTerminals/notice'>, 'threadId'>;
}

export interface TextCell {
  kind: 'user' | 'info' | 'error';
  id: string;
  text: string;
}

export interface HelpCell {
  kind: 'help';
  id: string;
  commands: { usage: string; description: string }[];
  keys: { key: string; description: string }[];
}

/** A background terminal ended on its own (not stopped by anyone). */
export interface ExitedCell {
  kind: 'exited';
  id: string;
  processId: string;
  command: string;
  exitCode: number | null;
  signal: string | null;
  durationMs: number | null;
}

/**
 * A finished part of an agent message. A streamed message is moved to the transcript block by block (whole
 * paragraphs, lists, code blocks), so one message can be several cells; only the first shows the bullet.
 */
export interface AgentMessageCell {
  kind: 'agent';
  id: string;
  /** Markdown source of complete blocks. */
  markdown: string;
  /** The first part of its message (draws the `•`). */
  first: boolean;
}

/** What the model thought, collapsed to one dim line: `Thinking… <summary>`. */
export interface ReasoningCell {
  kind: 'reasoning';
  id: string;
  /** The summary (or the first line of raw reasoning), possibly empty. */
  summary: string;
}

/** A turn that failed: the provider's readable error and what to do. */
export interface TurnErrorCell {
  kind: 'turnError';
  id: string;
  message: string;
}

export type Cell = ExecCell | PsCell | StopCell | RestartCell | NoticeCell | TextCell | HelpCell | ExitedCell | AgentMessageCell | ReasoningCell | TurnErrorCell;

/** The model asks to run a command; shown in the live region until the person answers. */
export interface ApprovalPrompt {
  /** The request to answer. */
  requestId: string;
  itemId: string;
  command: string;
  cwd: string;
  reason: string | null;
  /** What an "always" answer allows, e.g. `npm run` (commands starting with these words). */
  prefix: string;
}

let counter = 0;
/** Ids for cells that do not come from a thread item. */
export function cellId(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}`;
}
