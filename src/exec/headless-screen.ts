// The screen a person would have seen: process output fed through a headless terminal emulator, so `\r`
// progress bars, cursor moves, colours and screen switches end up as cells, never as raw escape sequences.
//
// Parsing is an order of magnitude slower than a flood can arrive (xterm parses ~25 MB/s; a pipe delivers
// ~400 MB/s), so feeding is paced: one slice in flight, a bounded queue, and while output keeps coming the
// parser gets a small share of the time. When the queue overflows, its oldest whole lines are dropped; they
// would have scrolled past the visible screen anyway, so what a reader sees is the newest output; while it keeps
// overflowing, only the newest screenful of each slice is parsed. After a drop the scrollback is cleared, so
// what it keeps is always contiguous output. Once output stops (or the writer exits) the rest is parsed at
// once; at the writer's exit, less what would only scroll out of the scrollback.
import xterm from '@xterm/headless';
import { letGo } from './chunk-lease.js';
import { ChunkQueue } from './chunk-queue.js';
import { bytesForNewestLines, isPlainPrefix } from './newest-lines.js';
import { type LineEnds, type ScreenLine, readLineEnds, readLines, readPlainLines } from './screen-lines.js';
import { type ScreenView, readView } from './screen-view.js';

export const DEFAULT_SCROLLBACK = 2000;
const MAX_PENDING_BYTES = 256 * 1024;
/** Output handed to the parser at once: each hand-off costs timer turns, so small reads are joined. */
const SLICE_BYTES = 64 * 1024;
/**
 * Upper bound on the share of wall time spent parsing while output arrives faster than it is parsed. It is
 * shared by every screen of the process: three floods get it between them, not each. A PTY flood is CPU-bound
 * on two cores, so each parsed slice slows the child: a tenth (a 64 KiB slice every ~50 ms) cost corral ~30 ms
 * more CPU in the 27 MB flood. A slice every 100 ms is still as often as the UI shows a flooding screen.
 */
const PARSE_SHARE = 0.03;
const MAX_PACING_DELAY_MS = 100;
/**
 * While output arrives faster than the queue can hold (it dropped some since the last slice), a slice is only the
 * newest whole lines that fill the screen, at most this many bytes or four per cell, and that screen's next slice
 * waits MAX_PACING_DELAY_MS: the rest would scroll by unseen. Parsing it all cost the 27 MB flood 10-15 ms more
 * of the event loop (0.75 MB parsed while it ran instead of 0.2); a 16 KiB slice of base64 is 215 lines for a
 * 30-row screen, so slices of just the screen's lines parse a seventh of that. Once output stops, the newest
 * 256 KiB are still parsed (less what would only scroll out, see skipUnseen).
 */
const FLOOD_SLICE_BYTES = 16 * 1024;
/** Empties the line the cursor is on (what `clear` leaves of the screen) and returns to its start. */
const ERASE_LINE = Buffer.from('\r\x1b[2K');
const NEW_LINE = Buffer.from('\r\n');
/** Output that has stopped this long is parsed without pacing: the burst is over, the screen catches up. */
const CATCH_UP_MS = 25;
/** When any screen may parse its next slice (unless its writer is done). */
let parseOpensAt = 0;

export interface ScreenOptions {
  cols: number;
  rows: number;
  scrollback?: number;
  /** Treat `\n` as `\r\n`: output from a pipe has not been through a terminal's line discipline. */
  convertEol?: boolean;
}

export class HeadlessScreen {
  private readonly term: xterm.Terminal;
  /** Output not parsed yet. */
  private readonly queue = new ChunkQueue();
  private inFlight = false;
  private timer: NodeJS.Timeout | null = null;
  private resync = false;
  /** Output was dropped since the last slice: the parser is far behind a flood. */
  private flooded = false;
  /** When this screen's next slice is due while it floods. */
  private floodOpensAt = 0;
  private urgent = false;
  private lastWriteAt = 0;
  private disposed = false;
  private idleWaiters: (() => void)[] = [];
  private updateListeners: (() => void)[] = [];
  private sliceListeners: ((slice: Buffer) => void)[] = [];
  /** Bytes never parsed because newer output replaced them while the parser was behind. */
  droppedBytes = 0;
  /** Bytes handed to the parser. */
  parsedBytes = 0;
  /** Goes up whenever what the screen shows may have changed (a parsed slice, a resize): viewers redraw on it. */
  revision = 0;
  /** The program hid its cursor (DECTCEM, `ESC [ ? 25 l`); xterm keeps this private, so it is followed here. */
  private cursorHidden = false;

  constructor(opts: ScreenOptions) {
    this.term = new xterm.Terminal({
      cols: opts.cols,
      rows: opts.rows,
      scrollback: opts.scrollback ?? DEFAULT_SCROLLBACK,
      convertEol: opts.convertEol ?? false,
      allowProposedApi: true,
    });
    // Returning false lets xterm handle the sequence as usual; this only watches for mode 25.
    const cursorMode = (hidden: boolean) => (params: (number | number[])[]): boolean => {
      if (params.includes(25)) this.cursorHidden = hidden;
      return false;
    };
    this.term.parser.registerCsiHandler({ prefix: '?', final: 'l' }, cursorMode(true));
    this.term.parser.registerCsiHandler({ prefix: '?', final: 'h' }, cursorMode(false));
  }

  get cols(): number {
    return this.term.cols;
  }

  get rows(): number {
    return this.term.rows;
  }

  /** Replies the terminal sends back to the program (cursor position reports and the like). */
  onReply(listener: (data: string) => void): void {
    this.term.onData(listener);
  }

  /** Called after each parsed slice; readers throttle on their side. */
  onUpdate(listener: () => void): () => void {
    this.updateListeners.push(listener);
    return () => {
      this.updateListeners = this.updateListeners.filter((l) => l !== listener);
    };
  }

  /** Called with each slice of output as it goes to the parser (output dropped unparsed never reaches it). */
  onSlice(listener: (slice: Buffer) => void): void {
    this.sliceListeners.push(listener);
  }

  write(data: Uint8Array): void {
    if (this.disposed || data.length === 0) return;
    this.lastWriteAt = performance.now();
    this.queue.push(data);
    // The parser is behind: the oldest output goes, the newest stays.
    while (this.queue.bytes > MAX_PENDING_BYTES && this.queue.chunks.length > 1) {
      this.droppedBytes += this.queue.dropOldest();
      this.resync = true;
      this.flooded = true;
    }
    this.pump();
  }

  /** Drops all but the newest `bytes` waiting (cutting into the oldest kept chunk); the slice resyncs on a line. */
  private keepNewest(bytes: number): void {
    this.droppedBytes += this.queue.keepNewest(bytes);
    this.resync = true;
  }

  /**
   * Next output to parse; after a drop, it starts at the next line so no half line is shown. Its queue entries
   * go to `parts`: the slice may be one of them, which xterm reads until the slice is parsed.
   */
  private takeSlice(flood: boolean, parts: Buffer[]): Buffer | null {
    if (flood) {
      const bound = Math.max(FLOOD_SLICE_BYTES, 4 * this.term.rows * this.term.cols);
      // One line more than the rows: the last may be unfinished.
      this.keepNewest(bytesForNewestLines(this.queue.chunks, this.term.rows + 1, bound));
    }
    let size = 0;
    while (this.queue.chunks.length > 0 && (size === 0 || size + this.queue.chunks[0]!.length <= SLICE_BYTES)) {
      const part = this.queue.shift();
      parts.push(part);
      size += part.length;
    }
    if (parts.length === 0) return null;
    let slice = parts.length === 1 ? parts[0]! : Buffer.concat(parts, size);
    if (this.resync) {
      this.resync = false;
      const nl = slice.indexOf(0x0a);
      if (nl >= 0) {
        this.droppedBytes += nl + 1;
        const rest = slice.subarray(nl + 1);
        if (this.term.buffer.active.type === 'normal') {
          // What was parsed before the drop does not lead to what follows: kept above it, the scrollback would
          // splice distant output together as if it were contiguous. It goes, and the slice starts the screen.
          this.term.clear();
          slice = Buffer.concat([ERASE_LINE, rest]);
        } else {
          const atLineStart = this.term.buffer.active.cursorX === 0;
          slice = atLineStart ? rest : Buffer.concat([NEW_LINE, rest]);
        }
      }
    }
    return slice;
  }

  /** How long the next slice waits: paced while output keeps coming, at once when it has stopped. */
  private waitFor(now: number): number {
    if (this.urgent) return 0;
    const closedFor = Math.max(parseOpensAt, this.floodOpensAt) - now;
    const quietIn = this.lastWriteAt + CATCH_UP_MS - now;
    return closedFor > 0 && quietIn > 0 ? Math.min(closedFor, quietIn) : 0;
  }

  private pump(): void {
    if (this.inFlight || this.timer || this.disposed) return;
    const wait = this.queue.bytes > 0 ? this.waitFor(performance.now()) : 0;
    if (wait > 0) {
      this.schedule(wait); // checked again then: the output may have stopped meanwhile
      return;
    }
    const started = performance.now();
    // Still flooding (not caught up: output has not stopped, the writer is not done).
    const flood = this.flooded && !this.urgent && started - this.lastWriteAt < CATCH_UP_MS;
    this.flooded = false;
    const parts: Buffer[] = [];
    const slice = this.takeSlice(flood, parts);
    if (!slice) {
      this.settle();
      return;
    }
    this.inFlight = true;
    this.parsedBytes += slice.length;
    for (const l of this.sliceListeners) l(slice);
    this.term.write(slice, () => {
      for (const part of parts) letGo(part);
      this.inFlight = false;
      const now = performance.now();
      if (flood) this.floodOpensAt = now + MAX_PACING_DELAY_MS;
      // Whoever parses next waits long enough for the rest of the process to get most of the time.
      parseOpensAt = Math.max(parseOpensAt, now + Math.min(MAX_PACING_DELAY_MS, ((now - started) * (1 - PARSE_SHARE)) / PARSE_SHARE));
      if (this.disposed) return;
      this.revision++;
      for (const l of this.updateListeners) l();
      if (this.queue.bytes === 0) {
        this.settle();
        return;
      }
      // The writer is done: parse the rest without pacing.
      if (this.urgent) return this.pump();
      // More output is waiting: the parser is behind (a turn of the event loop between slices either way).
      this.schedule(this.waitFor(now));
    });
  }

  private schedule(delay: number): void {
    this.timer = setTimeout(() => {
      this.timer = null;
      this.pump();
    }, delay);
  }

  private settle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  /** Resolves once everything written so far has been parsed. `urgent` stops pacing (the writer is done). */
  whenIdle(urgent = false): Promise<void> {
    if (urgent) {
      this.urgent = true;
      this.skipUnseen();
    }
    if (!this.inFlight && this.queue.bytes === 0) return Promise.resolve();
    if (urgent && this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
      this.pump();
    }
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Once the writer is done, waiting output that would only scroll through and out of the scrollback is not
   * parsed: what is kept is the newest lines that fill the scrollback and the screen, with a screen to spare (the
   * cursor may start at the top), provided what goes before them is plain text, which leaves no state behind.
   * The screen ends the same. A `seq` flood's last 256 KiB is 30,000 lines, of which ~2,000 are kept: the flood's
   * end was drawn 35 -> 28 ms after the child's, interleaved over 8 rounds.
   */
  private skipUnseen(): void {
    const rows = this.term.rows;
    const pending = this.queue.bytes;
    const keep = bytesForNewestLines(this.queue.chunks, (this.term.options.scrollback ?? DEFAULT_SCROLLBACK) + 2 * rows + 1, pending);
    if (keep < pending && isPlainPrefix(this.queue.chunks, pending - keep)) this.keepNewest(keep);
  }

  resize(cols: number, rows: number): void {
    if (this.disposed) return;
    this.term.resize(cols, rows);
    this.revision++;
  }

  /** The screen as laid out, with up to `scrollback` rows of history above it (see screen-view.ts); `withLines`
   * false leaves the rows out (a poll that only wants to know whether anything moved). */
  view(scrollback = 0, withLines = true): ScreenView {
    const buffer = this.term.buffer.active;
    const read = readView(buffer, { rows: this.term.rows, cols: this.term.cols }, buffer.getNullCell(), Math.max(0, scrollback), withLines);
    return {
      rows: this.term.rows,
      cols: this.term.cols,
      scrollback: read.scrollback,
      scrollbackAvailable: read.scrollbackAvailable,
      lines: read.lines,
      cursor: { ...read.cursor, visible: !this.cursorHidden },
      alternateScreen: this.alternateScreen,
      applicationCursorKeys: this.term.modes.applicationCursorKeysMode,
    };
  }

  /** The last `count` lines of output, oldest first, as styled text. */
  lines(count = Infinity): ScreenLine[] {
    const cell = this.term.buffer.active.getNullCell();
    return readLines(this.term.buffer.active, this.term.cols, cell, count);
  }

  /** The first and last `count` lines and how many there are (see readLineEnds). */
  lineEnds(count: number): LineEnds {
    return readLineEnds(this.term.buffer.active, this.term.cols, this.term.buffer.active.getNullCell(), count);
  }

  /** Plain text of the last `count` lines, oldest first (no styles: for searching). */
  plainLines(count: number): string[] {
    return this.disposed ? [] : readPlainLines(this.term.buffer.active, count);
  }

  /**
   * Every line of output is still held: none was dropped unparsed (a flood) and the scrollback never filled (once
   * full, its oldest lines scroll out). A preview's count of lines is then the whole output's. A scrollback of 0
   * (no user setting reaches it) would count every screen as not all kept.
   */
  get keptAll(): boolean {
    const scrollback = this.term.options.scrollback ?? DEFAULT_SCROLLBACK;
    return this.droppedBytes === 0 && this.term.buffer.normal.length < this.term.rows + scrollback;
  }

  /** The cursor is at the start of a line: the last line output was finished (or none was started). */
  get atLineStart(): boolean {
    return this.term.buffer.active.cursorX === 0;
  }

  /** Output is waiting to be parsed (what the screen shows is behind what arrived). */
  get behind(): boolean {
    return this.inFlight || this.queue.bytes > 0;
  }

  /** Whether the program switched to the alternate screen (a full-screen program is running). */
  get alternateScreen(): boolean {
    return this.term.buffer.active.type === 'alternate';
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.queue.clear();
    this.term.dispose();
    this.settle();
  }
}
