// Fixed geometry shared by the components and the terminals they show.

/** Columns taken by the prefix of screen lines in an exec cell (`  └ ` / `    `). */
export const SCREEN_INDENT = 4;
/** Lines of a running command shown at most, when the screen has room. */
export const MAX_RUNNING_LINES = 10;
/** Entries of the slash popup shown at once. */
export const POPUP_ROWS = 8;

/** The size a command's terminal gets: as wide as its lines are shown, as tall as the screen. */
export function commandTerminalSize(size: { rows: number; cols: number }): { rows: number; cols: number } {
  return { rows: Math.max(5, size.rows), cols: Math.max(20, size.cols - SCREEN_INDENT) };
}

/** Rows the composer takes: its text wrapped inside a bordered box. */
export function composerRows(textWidth: number, cols: number): number {
  const inner = Math.max(1, cols - 4); // border and padding
  return 2 + Math.max(1, Math.ceil((2 + textWidth + 1) / inner));
}

/** Terminals the interactive /ps lists at once. */
export const PICKER_ROWS = 8;

/** Rows the interactive /ps takes: its heading, its entries (or a line saying there are none), a count, a question. */
export function pickerRows(picker: { open: boolean; terminals: unknown[]; confirmStop: string | null; error: string | null }): number {
  if (!picker.open) return 0;
  const n = picker.terminals.length;
  return 1 + (picker.error !== null || n === 0 ? 1 : Math.min(n, PICKER_ROWS)) + (n > PICKER_ROWS ? 1 : 0) + (picker.confirmStop ? 1 : 0);
}

/** Rows the popup takes for `entries` entries (and a line saying there are more). */
export function popupRows(entries: number): number {
  return Math.min(entries, POPUP_ROWS) + (entries > POPUP_ROWS ? 1 : 0);
}

export interface LiveLayout {
  /** Running commands shown (the newest ones). */
  visible: number;
  /** Screen lines each shown command gets. */
  linesEach: number;
  /** Running commands left out. */
  hidden: number;
  /** Whether there is a row to say how many are left out. */
  summary: boolean;
}

/**
 * How the running commands share the rows left by the composer, popup and status line, so that the live
 * region stays shorter than the terminal (a taller live region makes Ink clear the screen and redraw the
 * whole transcript). Each shown command takes a blank row and a header row plus its lines.
 */
export function liveLayout(rows: number, reservedRows: number, count: number): LiveLayout {
  const avail = rows - reservedRows - 1; // one row spare
  if (count === 0) return { visible: 0, linesEach: 0, hidden: 0, summary: false };
  if (2 * count <= avail) {
    const linesEach = Math.min(MAX_RUNNING_LINES, Math.floor((avail - 2 * count) / count));
    return { visible: count, linesEach, hidden: 0, summary: false };
  }
  const visible = Math.max(0, Math.floor((avail - 1) / 2)); // a row for the summary
  return { visible, linesEach: 0, hidden: count - visible, summary: avail >= 1 };
}

/** Rows the live region may take: what the composer, popup and status line leave, less one spare row. */
export function liveRows(rows: number, reservedRows: number): number {
  return Math.max(0, rows - reservedRows - 1);
}

/** Queued messages listed at most; the rest are counted on one more row. */
const MAX_QUEUED_SHOWN = 3;

/** Rows the running commands take under `layout`: a blank and a header row each, the lines they have, the summary. */
function runningRows(layout: LiveLayout, lineCounts: number[]): number {
  const shown = layout.visible > 0 ? lineCounts.slice(-layout.visible) : [];
  return shown.reduce((sum, n) => sum + 2 + Math.min(n, layout.linesEach), layout.summary ? 1 : 0);
}

export interface AgentLiveLayout {
  /** Queued messages listed. */
  queuedShown: number;
  /** Whether a row counts the queued messages not listed. */
  queuedMore: boolean;
  thinking: boolean;
  running: LiveLayout;
  /** Rows of the streamed message shown (its newest ones). */
  streamingRows: number;
}

/**
 * How the parts of the live region share its rows, by priority: the approval prompt (already measured:
 * `approvalRows` includes its blank row above), queued messages, the thinking line, running commands, and
 * last the streamed message, which shows only its newest rows. Each part takes a blank row above it.
 */
export function agentLiveLayout(input: {
  rows: number;
  reservedRows: number;
  approvalRows: number;
  queued: number;
  thinking: boolean;
  /** Screen lines of each running command, oldest first. */
  running: number[];
  streaming: boolean;
}): AgentLiveLayout {
  const total = liveRows(input.rows, input.reservedRows);
  let left = total - input.approvalRows;
  let queuedShown = 0;
  let queuedMore = false;
  if (input.queued > 0) {
    const wanted = Math.min(input.queued, MAX_QUEUED_SHOWN) + (input.queued > MAX_QUEUED_SHOWN ? 1 : 0);
    const got = Math.max(0, Math.min(wanted, left - 1));
    if (got > 0) {
      left -= 1 + got;
      queuedShown = got < wanted || input.queued > MAX_QUEUED_SHOWN ? got - 1 : got;
      queuedMore = queuedShown < input.queued;
    }
  }
  const thinking = input.thinking && left >= 2;
  if (thinking) left -= 2;
  const running = liveLayout(input.rows, input.reservedRows + (total - left), input.running.length);
  left -= runningRows(running, input.running);
  const streamingRows = input.streaming ? Math.max(0, left - 1) : 0;
  return { queuedShown, queuedMore, thinking, running, streamingRows };
}
