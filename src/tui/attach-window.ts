// Which rows of an attached terminal the view shows: the screen (or, scrolled back, history above it) in the
// rows between the title bar and the hint line. Pure.
import type { TerminalReadData } from '../protocol/terminal-shapes.js';
import type { ScreenLine } from './cells.js';

export interface AttachWindow {
  /** Exactly `viewRows` rows (blank rows added below a short screen). */
  lines: ScreenLine[];
  /** The cursor's row in `lines`, or null when it is not in view (scrolled back, hidden). */
  cursorRow: number | null;
  cursorCol: number;
  /** How far the view can scroll back. */
  maxScroll: number;
}

const BLANK: ScreenLine = { text: '', spans: [] };

/**
 * `screen` was read with at least `scroll + viewRows` rows of scrollback. Unscrolled, the view ends with the
 * screen; a screen taller than the view (a pipe's, which is not resized) ends at its last used row instead.
 */
export function attachWindow(screen: TerminalReadData, viewRows: number, scroll: number): AttachWindow {
  const sb = screen.scrollback;
  const total = screen.lines.length;
  let end = total;
  if (screen.rows > viewRows) {
    let lastUsed = screen.cursor.row + 1;
    for (let r = screen.rows - 1; r >= lastUsed; r--) {
      if (screen.lines[sb + r]!.text.trim() !== '') {
        lastUsed = r + 1;
        break;
      }
    }
    end = sb + Math.max(viewRows, lastUsed);
  }
  const maxScroll = screen.scrollbackAvailable + Math.max(0, end - sb - viewRows);
  const shift = Math.max(0, Math.min(scroll, maxScroll, end - Math.min(viewRows, end)));
  const stop = end - shift;
  const start = Math.max(0, stop - viewRows);
  const lines = screen.lines.slice(start, stop);
  while (lines.length < viewRows) lines.push(BLANK);
  const at = sb + screen.cursor.row - start;
  const cursorRow = shift === 0 && screen.cursor.visible && at >= 0 && at < viewRows ? at : null;
  return { lines, cursorRow, cursorCol: screen.cursor.col, maxScroll };
}
