// What a person looking at the terminal would see: the rows of its screen (plus, on request, rows of scrollback
// above it) exactly as laid out, with the cursor. Unlike `readLines`, rows are not joined where a line wrapped:
// a full-screen view draws rows.
import type { IBuffer, IBufferCell } from '@xterm/headless';
import { type ScreenLine, readRow } from './screen-lines.js';

export interface ScreenView {
  rows: number;
  cols: number;
  /** Scrollback rows above the screen, first in `lines`. */
  scrollback: number;
  /** `scrollback` rows of history, then exactly `rows` rows of the screen. */
  lines: ScreenLine[];
  /** Cursor position on the screen (0-based; row 0 is the screen's top row, not the first scrollback row). */
  cursor: { row: number; col: number; visible: boolean };
  alternateScreen: boolean;
  /** The program asked for application cursor keys (arrows are sent as `ESC O A`, not `ESC [ A`). */
  applicationCursorKeys: boolean;
  /** Rows of scrollback that exist above the screen (what `scrollback` may ask for at most). */
  scrollbackAvailable: number;
}

export function readView(
  buffer: IBuffer,
  size: { rows: number; cols: number },
  cell: IBufferCell,
  scrollback: number,
  withLines = true,
): { lines: ScreenLine[]; scrollback: number; scrollbackAvailable: number; cursor: { row: number; col: number } } {
  const top = buffer.baseY;
  const above = Math.max(0, Math.min(scrollback, top));
  const lines: ScreenLine[] = [];
  for (let y = top - above; withLines && y < top + size.rows; y++) {
    const row = buffer.getLine(y);
    lines.push(row ? readRow(row, size.cols, cell) : { text: '', spans: [] });
  }
  return { lines, scrollback: above, scrollbackAvailable: top, cursor: { row: buffer.cursorY, col: buffer.cursorX } };
}
