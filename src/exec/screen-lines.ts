// Reads lines, with their colours and attributes, off an xterm buffer. The output model is plain data so that
// renderers (the TUI, clients) never see escape sequences.
import type { IBuffer, IBufferCell, IBufferLine } from '@xterm/headless';

export type CellColor = { mode: 'palette'; index: number } | { mode: 'rgb'; rgb: number };

export interface SpanStyle {
  fg?: CellColor;
  bg?: CellColor;
  bold?: true;
  dim?: true;
  italic?: true;
  underline?: true;
  inverse?: true;
  strikethrough?: true;
}

export interface ScreenSpan {
  text: string;
  style: SpanStyle;
}

export interface ScreenLine {
  text: string;
  spans: ScreenSpan[];
}

function color(isRgb: boolean, isPalette: boolean, value: number): CellColor | undefined {
  if (isRgb) return { mode: 'rgb', rgb: value };
  if (isPalette) return { mode: 'palette', index: value };
  return undefined;
}

function styleOf(cell: IBufferCell): SpanStyle {
  const s: SpanStyle = {};
  const fg = color(cell.isFgRGB(), cell.isFgPalette(), cell.getFgColor());
  const bg = color(cell.isBgRGB(), cell.isBgPalette(), cell.getBgColor());
  if (fg) s.fg = fg;
  if (bg) s.bg = bg;
  if (cell.isBold()) s.bold = true;
  if (cell.isDim()) s.dim = true;
  if (cell.isItalic()) s.italic = true;
  if (cell.isUnderline()) s.underline = true;
  if (cell.isInverse()) s.inverse = true;
  if (cell.isStrikethrough()) s.strikethrough = true;
  return s;
}

/** Attribute bits of a cell, so that two cells' styles compare as numbers (a key string per cell was most of a snapshot's garbage). */
function flagsOf(cell: IBufferCell): number {
  return (
    (cell.isBold() ? 1 : 0) |
    (cell.isDim() ? 2 : 0) |
    (cell.isItalic() ? 4 : 0) |
    (cell.isUnderline() ? 8 : 0) |
    (cell.isInverse() ? 16 : 0) |
    (cell.isStrikethrough() ? 32 : 0)
  );
}

/** The style of the span being built, across the rows of one logical line. */
class RunStyle {
  private fgMode = -1;
  private fg = 0;
  private bgMode = 0;
  private bg = 0;
  private flags = 0;

  /** Whether `cell` has this style; if not, this becomes its style. */
  same(cell: IBufferCell): boolean {
    const fgMode = cell.getFgColorMode();
    const fg = cell.getFgColor();
    const bgMode = cell.getBgColorMode();
    const bg = cell.getBgColor();
    const flags = flagsOf(cell);
    if (fgMode === this.fgMode && fg === this.fg && bgMode === this.bgMode && bg === this.bg && flags === this.flags) return true;
    this.fgMode = fgMode;
    this.fg = fg;
    this.bgMode = bgMode;
    this.bg = bg;
    this.flags = flags;
    return false;
  }
}

function isPlainBlank(cell: IBufferCell): boolean {
  const ch = cell.getChars();
  return (ch === '' || ch === ' ') && cell.isBgDefault() && !cell.isInverse() && !cell.isUnderline();
}

/** Appends the cells of one buffer row to `spans`, merging runs of the same style. */
function appendRow(
  row: IBufferLine,
  cols: number,
  cell: IBufferCell,
  spans: ScreenSpan[],
  run: RunStyle,
  trimRight: boolean,
): void {
  // Trailing blank cells of a line's last row are padding, not output.
  let end = Math.min(row.length, cols);
  while (trimRight && end > 0) {
    const c = row.getCell(end - 1, cell);
    if (!c || !(isPlainBlank(c) || c.getWidth() === 0)) break;
    end--;
  }
  for (let x = 0; x < end; x++) {
    const c = row.getCell(x, cell);
    if (!c || c.getWidth() === 0) continue; // second half of a wide character
    const text = c.getChars() || ' ';
    if (run.same(c) && spans.length > 0) spans[spans.length - 1]!.text += text;
    else spans.push({ text, style: styleOf(c) });
  }
}

/** One row as it is laid out (trailing blanks dropped), not joined to the rows it wrapped onto. */
export function readRow(row: IBufferLine, cols: number, cell: IBufferCell): ScreenLine {
  const spans: ScreenSpan[] = [];
  appendRow(row, cols, cell, spans, new RunStyle(), true);
  return { text: spans.map((s) => s.text).join(''), spans };
}

/** Index one past the last row that shows anything; blank rows below the output are not content. */
function contentEnd(buffer: IBuffer, cols: number, cell: IBufferCell): number {
  for (let y = buffer.length - 1; y >= 0; y--) {
    const row = buffer.getLine(y);
    if (!row) continue;
    for (let x = 0; x < Math.min(row.length, cols); x++) {
      const c = row.getCell(x, cell);
      if (c && !isPlainBlank(c)) return y + 1;
    }
  }
  return 0;
}

/** The plain text of the last `count` logical lines (wrapped rows joined), oldest first: cheaper than spans. */
export function readPlainLines(buffer: IBuffer, count: number): string[] {
  const lines: string[] = [];
  let y = buffer.length - 1;
  while (y >= 0 && lines.length < count) {
    let start = y;
    while (start > 0 && buffer.getLine(start)?.isWrapped) start--;
    let text = '';
    for (let r = start; r <= y; r++) text += buffer.getLine(r)?.translateToString(r === y) ?? '';
    lines.push(text);
    y = start - 1;
  }
  return lines.reverse();
}

/** The logical line whose last row is `y`: its first row and its text, rows joined where the terminal wrapped them. */
function readLogical(buffer: IBuffer, cols: number, cell: IBufferCell, y: number): { start: number; line: ScreenLine } {
  let start = y;
  while (start > 0 && buffer.getLine(start)?.isWrapped) start--;
  const spans: ScreenSpan[] = [];
  const run = new RunStyle();
  for (let r = start; r <= y; r++) {
    const row = buffer.getLine(r);
    if (row) appendRow(row, cols, cell, spans, run, r === y);
  }
  return { start, line: { text: spans.map((s) => s.text).join(''), spans } };
}

/**
 * The last `count` logical lines of the buffer (rows joined where the terminal wrapped them), oldest first.
 * Blank rows below the last output are not included.
 */
export function readLines(buffer: IBuffer, cols: number, cell: IBufferCell, count = Infinity): ScreenLine[] {
  const lines: ScreenLine[] = [];
  let y = contentEnd(buffer, cols, cell) - 1;
  while (y >= 0 && lines.length < count) {
    const { start, line } = readLogical(buffer, cols, cell, y);
    lines.push(line);
    y = start - 1;
  }
  return lines.reverse();
}

export interface LineEnds {
  head: ScreenLine[];
  tail: ScreenLine[];
  /** Logical lines in all. */
  total: number;
}

/**
 * The first `count` and the last `count` logical lines (the tail never repeats a head line) and how many there
 * are, reading only those: a finished flood's scrollback holds thousands.
 */
export function readLineEnds(buffer: IBuffer, cols: number, cell: IBufferCell, count: number): LineEnds {
  const end = contentEnd(buffer, cols, cell);
  // The last row of every logical line, oldest first (a row that the next one does not continue).
  const lasts: number[] = [];
  for (let y = 0; y < end; y++) if (y === end - 1 || !buffer.getLine(y + 1)?.isWrapped) lasts.push(y);
  const read = (ys: number[]): ScreenLine[] => ys.map((y) => readLogical(buffer, cols, cell, y).line);
  return { head: read(lasts.slice(0, count)), tail: read(lasts.slice(Math.max(count, lasts.length - count))), total: lasts.length };
}
