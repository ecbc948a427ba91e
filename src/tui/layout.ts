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

/**
 * How many screen lines each running command may show so that the live region stays shorter than the
 * terminal (a taller live region makes Ink clear the screen and redraw the whole transcript).
 */
export function runningLineBudget(rows: number, reservedRows: number, runningCount: number): number {
  if (runningCount === 0) return 0;
  const free = rows - reservedRows - 2 * runningCount - 1; // a blank row and a header per command, one spare
  return Math.max(0, Math.min(MAX_RUNNING_LINES, Math.floor(free / runningCount)));
}
