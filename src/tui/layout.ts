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
