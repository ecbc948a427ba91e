// The first http(s) URL a terminal prints, read off its screen (dev servers colour parts of the URL, so the
// raw bytes have escape sequences inside it; the screen has the text). The screen is looked at only after
// output containing `://` went to its parser, at most every LOOK_INTERVAL_MS, and never again once a URL is
// found. Only what is parsed is searched: output a flood drops unparsed never shows a URL on the screen, and
// searching every byte of a pipe flood for `://` cost 2% of its speed.
import type { HeadlessScreen } from './headless-screen.js';

export const LOOK_INTERVAL_MS = 250;
/**
 * A URL that ends the line still being written is taken as it is once that line has not changed for this many
 * looks (2 s): a line that keeps growing is still arriving, however slowly (a busy machine, a slow writer)...
 */
const MAX_STILL_LOOKS = 8;
/** ...but not for ever: after this many looks (10 s) it is taken as it is. */
const MAX_RELOOKS = 40;
/** Lines read per look: enough for what arrived since the last look, unless it is a flood. */
const LOOK_LINES = 200;
const SCHEME = Buffer.from('://');
const COLON = 0x3a;
const SLASH = 0x2f;

const URL_RE = /\bhttps?:\/\/[^\s"'<>`]+/;
const TRAILING = /[.,;:!?'"]+$/;

/** The first http:// or https:// URL in `text`, without trailing punctuation or an unmatched closing bracket. */
export function findUrl(text: string): string | null {
  const m = URL_RE.exec(text);
  if (!m) return null;
  let url = m[0];
  for (;;) {
    const before = url;
    url = url.replace(TRAILING, '');
    for (const [open, close] of [['(', ')'], ['[', ']'], ['{', '}']] as const) {
      if (url.endsWith(close) && count(url, open) < count(url, close)) url = url.slice(0, -1);
    }
    if (url === before) break;
  }
  // A scheme and nothing else is no URL.
  return /^https?:\/\/./.test(url) ? url : null;
}

/**
 * Whether the line's first URL, before its trailing punctuation is trimmed, runs to the line's end: then more of it
 * may still come (`http://127.0.0.` is on its way to `http://127.0.0.1:8000/`).
 */
function urlRunsToEnd(line: string): boolean {
  const text = line.trimEnd();
  const m = URL_RE.exec(text);
  return m !== null && m.index + m[0].length === text.length;
}

function count(s: string, ch: string): number {
  let n = 0;
  for (const c of s) if (c === ch) n++;
  return n;
}

/** Whether `chunk` completes a `://` of which the output before it ended with `partial` bytes. */
function completesScheme(partial: number, chunk: Buffer): boolean {
  if (partial === 2) return chunk[0] === SLASH;
  if (partial === 1) return chunk[0] === SLASH && chunk[1] === SLASH;
  return false;
}

/** How much of `://` the output ends with once `chunk` is added to output that ended with `partial` bytes. */
function partialAfter(partial: number, chunk: Buffer): number {
  const n = chunk.length;
  if (n === 0) return partial;
  if (chunk[n - 1] === COLON) return 1;
  if (chunk[n - 1] === SLASH && (n >= 2 ? chunk[n - 2] === COLON : partial === 1)) return 2;
  return 0;
}

export class FirstUrl {
  url: string | null = null;
  private wanted = false;
  private timer: NodeJS.Timeout | null = null;
  private lastLook = 0;
  /** How much of `://` the output so far ends with (0-2): a scheme may be split between reads. */
  private partial = 0;
  /** Looks since the last `://` at a line still being written. */
  private relooks = 0;
  /** The line being written at the last look, and how many looks in a row found it unchanged. */
  private openLine: string | null = null;
  private stillLooks = 0;

  constructor(private readonly screen: HeadlessScreen) {
    screen.onSlice((slice) => this.saw(slice));
  }

  /** Each slice of output the screen parses, in order; allocates nothing. */
  private saw(chunk: Buffer): void {
    if (this.url !== null || this.wanted) return;
    const found = completesScheme(this.partial, chunk) || chunk.indexOf(SCHEME) >= 0;
    this.partial = partialAfter(this.partial, chunk);
    if (!found) return;
    this.wanted = true;
    this.relooks = 0;
    this.openLine = null;
    this.stillLooks = 0;
    this.schedule();
  }

  private schedule(): void {
    if (this.timer) return;
    const wait = Math.max(0, this.lastLook + LOOK_INTERVAL_MS - Date.now());
    this.timer = setTimeout(() => this.look(), wait);
    this.timer.unref();
  }

  private look(): void {
    this.timer = null;
    this.lastLook = Date.now();
    const lines = this.screen.plainLines(LOOK_LINES);
    let newest = lines.length - 1;
    while (newest > 0 && lines[newest]!.trim() === '') newest--;
    // The newest line is still being written (the cursor is on it): a URL at its end may not be whole yet.
    // Unchanged counts only when the parser had nothing waiting: a screen behind its output may not show it yet.
    const line = lines[newest] ?? '';
    if (line !== this.openLine) this.stillLooks = 0;
    else if (!this.screen.behind) this.stillLooks++;
    this.openLine = line;
    const open = !this.screen.atLineStart && this.stillLooks < MAX_STILL_LOOKS && this.relooks < MAX_RELOOKS;
    for (let i = 0; i < lines.length; i++) {
      const url = findUrl(lines[i]!);
      if (!url) continue;
      if (open && i === newest && urlRunsToEnd(lines[i]!)) return this.lookAgain();
      this.url = url;
      this.wanted = false;
      return;
    }
    // The `://` may not have been parsed yet, or its line may still be arriving: look again then.
    if (this.screen.behind) this.schedule();
    else if (open && line.includes('://')) this.lookAgain();
    else this.wanted = false;
  }

  private lookAgain(): void {
    this.relooks++;
    this.schedule();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
