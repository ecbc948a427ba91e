// Keeps a narrowing terminal from leaving copies of the live region on screen.
//
// When a terminal gets narrower it re-wraps (reflows) lines that no longer fit, so the live region Ink drew
// last now takes more rows than Ink knows. Ink then erases only as many rows as it wrote, and the top of the
// old frame stays on screen. This wraps the stdout given to Ink: it follows which frame is on screen (Ink
// writes a frame as "erase the previous one" + the frame; a clear is the erase alone), and when the width
// shrinks it widens Ink's next clear by the rows the reflow added. The frame sits right above the cursor, and
// terminals that reflow keep it there (tmux pushes rows off the top of the screen instead), so the wider
// erase covers the old frame and never the transcript. (A terminal that truncates instead of reflowing would
// lose a few transcript rows from view; the common ones reflow.)
import stripAnsi from 'strip-ansi';
import { redrawChanged } from './frame-diff.js';
import type { OutputHold } from './output-hold.js';
import type { PrintChannel } from './print-channel.js';
import { SyncJoin } from './sync-join.js';
import { stringWidth } from './text-width.js';

const ERASE_LINE = '\x1b[2K';
const CURSOR_UP = '\x1b[1A';
const CURSOR_LEFT = '\x1b[G';

/** Splits a write into the number of lines it erases first and what it writes after that. */
export function splitErase(data: string): { erased: number; rest: string } {
  let i = 0;
  let erased = 0;
  for (;;) {
    if (data.startsWith(ERASE_LINE, i)) {
      erased++;
      i += ERASE_LINE.length;
      if (data.startsWith(CURSOR_UP, i)) i += CURSOR_UP.length;
      continue;
    }
    break;
  }
  if (erased > 0 && data.startsWith(CURSOR_LEFT, i)) i += CURSOR_LEFT.length;
  return { erased, rest: data.slice(i) };
}

export function eraseLines(n: number): string {
  if (n <= 0) return '';
  return `${`${ERASE_LINE}${CURSOR_UP}`.repeat(n - 1)}${ERASE_LINE}${CURSOR_LEFT}`;
}

/** Rows that `lines` gain when a terminal re-wraps them at `cols` columns. */
export function reflowExtraRows(lines: readonly string[], cols: number): number {
  if (cols <= 0) return 0;
  let extra = 0;
  for (const line of lines) {
    const w = stringWidth(stripAnsi(line));
    if (w > cols) extra += Math.ceil(w / cols) - 1;
  }
  return extra;
}

export class FrameTracker {
  /** Lines of the frame currently on screen. */
  private frame: string[] = [];
  /** After a clear, the next writes (static output, then the frame) come without an erase prefix. */
  private afterClear = true;
  private pendingExtra = 0;
  /**
   * `frame` is exactly what is on screen, with the cursor on the row below it: a redraw may then send only the
   * rows that changed. Anything else (a reflow, a write not shaped like Ink's frames) drops it until Ink's next
   * frame says again what is there.
   */
  private exact = true;

  /** `rows`: the terminal's height; a frame as tall cannot be redrawn in place (its top may have scrolled off). */
  constructor(private readonly rows: () => number = () => Infinity) {}

  /** The terminal got narrower: Ink's next clear must also erase what the reflow added. */
  narrowed(cols: number): void {
    this.pendingExtra = reflowExtraRows(this.frame, cols);
    this.resized();
  }

  /** Any resize: terminals differ in where they keep the rows (some cut the bottom), so the next redraw is whole. */
  resized(): void {
    this.exact = false;
  }

  /** Sees each write on its way to the terminal; returns what to write instead. */
  write(data: string): string {
    const { erased, rest } = splitErase(data);
    if (erased > 0 && rest === '') {
      const out = this.pendingExtra > 0 ? eraseLines(erased + this.pendingExtra) : data;
      this.pendingExtra = 0;
      this.frame = [];
      this.afterClear = true;
      return out;
    }
    // Writes without a newline are control sequences (cursor, synchronized output), not frames.
    if (!rest.includes('\n')) return data;
    if (erased === 0 && !this.afterClear) {
      this.exact = false; // not a frame we know how to follow (Ink's full-screen redraw)
      return data;
    }
    // A frame; after a clear the last write wins (static output comes before the frame).
    const next = rest.split('\n').filter((l, i, all) => i < all.length - 1 || l !== '');
    // Known exactly once drawn: it ends on a fresh row and all of it is still on screen.
    const known = rest.endsWith('\n') && next.length < this.rows();
    const redraw = known && erased > 0 && this.exact && erased === this.frame.length + 1;
    const out = redraw ? redrawChanged(this.frame, next) : data;
    this.frame = next;
    this.exact = known;
    if (erased > 0) this.afterClear = false;
    return out;
  }
}

/**
 * The stdout to give Ink: it also puts printed text in place of its placeholders (print-channel.ts), sends a redraw
 * as the rows that changed (frame-diff.ts), joins a synchronized frame into one write (sync-join.ts) and, while
 * `hold` holds, keeps Ink's writes back (output-hold.ts). Must be created before Ink subscribes to resize events.
 */
export function guardReflow(stdout: NodeJS.WriteStream, channel?: PrintChannel, hold?: OutputHold): NodeJS.WriteStream {
  const tracker = new FrameTracker(() => stdout.rows ?? Infinity);
  let cols = stdout.columns;
  stdout.on('resize', () => {
    if (stdout.columns < cols) tracker.narrowed(stdout.columns);
    else tracker.resized();
    cols = stdout.columns;
  });
  const out = (stdout.write as (...a: unknown[]) => boolean).bind(stdout);
  const joined = new SyncJoin((data) => void out(data));
  const pass = (chunk: unknown, ...rest: unknown[]): boolean => {
    const data = typeof chunk === 'string' ? tracker.write(channel ? channel.substitute(chunk) : chunk) : chunk;
    if (typeof data === 'string' && rest.length === 0) {
      joined.write(data);
      return true;
    }
    joined.flush();
    return out(data, ...rest);
  };
  // Held writes go through the tracker when they are released, in order, as if written then.
  const write = (chunk: unknown, ...rest: unknown[]): boolean => {
    if (hold && typeof chunk === 'string' && hold.intercept(chunk)) {
      const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    }
    return pass(chunk, ...rest);
  };
  hold?.setSink((data) => void pass(data));
  return new Proxy(stdout, {
    get(target, prop) {
      if (prop === 'write') return write;
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
