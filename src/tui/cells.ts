// What the transcript shows: one cell per thing that happened. Plain data; components render it.
import type { BackgroundTerminalData, ScreenLineData, TerminationReportData } from '../protocol/shapes.js';

export type ScreenLine = ScreenLineData;

export interface ExecCell {
  kind: 'exec';
  id: string;
  command: string;
  processId: string | null;
  /** running: in the foreground; background: it outlived its window; completed/failed: it ended. */
  status: 'running' | 'background' | 'completed' | 'failed';
  /** The newest lines of its screen while it runs. */
  lines: ScreenLine[];
  exitCode: number | null;
  signal: string | null;
  durationMs: number | null;
  /** Head and tail of its screen once it ended, with the total line count. */
  preview: { head: ScreenLine[]; tail: ScreenLine[]; totalLines: number } | null;
  /** The prefix to suggest for `/stop` once it is a background terminal. */
  stopHint?: string;
}

export interface PsCell {
  kind: 'ps';
  id: string;
  /** When the list was taken (ages are shown relative to it). */
  at: number;
  running: BackgroundTerminalData[];
  exited: BackgroundTerminalData[];
}

/** One line of a /stop report. */
export type StopLine =
  | { kind: 'stopped'; report: TerminationReportData }
  | { kind: 'ambiguous'; query: string; candidates: { processId: string; command: string }[] }
  | { kind: 'not-found'; query: string }
  | { kind: 'already-stopping'; processId: string; command: string };

export interface StopCell {
  kind: 'stop';
  id: string;
  /** True for `/stop` with no argument. */
  all: boolean;
  lines: StopLine[];
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

export type Cell = ExecCell | PsCell | StopCell | TextCell | HelpCell | ExitedCell;

let counter = 0;
/** Ids for cells that do not come from a thread item. */
export function cellId(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}`;
}
