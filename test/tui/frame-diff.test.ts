// Redrawing only the changed rows must leave the terminal exactly as Ink's full redraw does: both are fed to a
// real terminal emulator and their screens (and cursors) compared, frame after frame.
import xterm from '@xterm/headless';
import { describe, expect, it } from 'vitest';
import { redrawChanged } from '../../src/tui/frame-diff.js';
import { FrameTracker, eraseLines } from '../../src/tui/reflow-guard.js';

const COLS = 40;
const ROWS = 20;

function terminal(): xterm.Terminal {
  // convertEol: a TTY's line discipline turns Ink's \n into \r\n on the way.
  return new xterm.Terminal({ cols: COLS, rows: ROWS, convertEol: true, allowProposedApi: true });
}

const write = (t: xterm.Terminal, data: string): Promise<void> => new Promise((done) => t.write(data, done));

function screen(t: xterm.Terminal): string[] {
  const b = t.buffer.active;
  const rows: string[] = [];
  for (let i = 0; i < b.length; i++) rows.push(b.getLine(i)!.translateToString(true));
  return [...rows, `cursor ${b.cursorX},${b.baseY + b.cursorY}`];
}

/** A frame of `n` rows drawn from a few row texts, so that consecutive frames share some rows; none wider than the terminal, as with Ink. */
function frame(random: () => number, n: number): string[] {
  const texts = ['', 'static row', '\x1b[32m• Running\x1b[39m seq', '│ › hello', `${'x'.repeat(COLS)}`, '  footer · model', '日本語 wide'];
  return Array.from({ length: n }, (_, i) => (random() < 0.6 ? texts[i % texts.length]! : `${Math.floor(random() * 100)} ${texts[Math.floor(random() * texts.length)]!}`.slice(0, COLS)));
}

function seeded(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

describe('redrawing only the rows that changed', () => {
  it('leaves the same screen as erasing and rewriting the frame, over many random frames', async () => {
    const random = seeded(7);
    const full = terminal();
    const diffed = terminal();
    const tracker = new FrameTracker(() => ROWS);
    await write(full, 'a line of transcript above\n');
    await write(diffed, 'a line of transcript above\n');
    let before: string[] = [];
    let sentFull = 0;
    let sentDiffed = 0;
    for (let i = 0; i < 300; i++) {
      const next = frame(random, 1 + Math.floor(random() * (ROWS - 2)));
      const ink = `${eraseLines(before.length > 0 ? before.length + 1 : 0)}${next.join('\n')}\n`;
      const out = tracker.write(ink);
      sentFull += ink.length;
      sentDiffed += out.length;
      await write(full, ink);
      await write(diffed, out);
      expect(screen(diffed), `frame ${i}`).toEqual(screen(full));
      before = next;
    }
    expect(sentDiffed).toBeLessThan(sentFull);
  });

  it('sends one row when one row changed', () => {
    const before = ['• Running seq', '  └ 1', '  2', '', '│ › ab', '  footer'];
    const after = [...before.slice(0, 4), '│ › abc', '  footer'];
    expect(redrawChanged(before, after)).toBe('\x1b[2A\r\x1b[2K│ › abc\n\n');
    expect(redrawChanged(before, before)).toBe('');
  });

  it('erases what is left below a frame that got shorter', () => {
    expect(redrawChanged(['a', 'b', 'c'], ['a'])).toBe('\x1b[2A\r\x1b[J');
  });

  it('passes a redraw through whole when the frame on screen is not known exactly', () => {
    const tracker = new FrameTracker(() => ROWS);
    tracker.write('one\ntwo\n');
    tracker.narrowed(COLS); // a reflow: the rows on screen may have moved
    const ink = `${eraseLines(3)}one\nthree\n`;
    expect(tracker.write(ink)).toBe(ink);
    // That redraw put a known frame back: the next is sent as the changed row only.
    expect(tracker.write(`${eraseLines(3)}one\nfour\n`)).toBe('\x1b[1A\r\x1b[2Kfour\n');
    // Ink's full-screen redraw (a clear of the whole terminal, no erase prefix) makes it unknown again.
    const fullScreen = '\x1b[2J\x1b[3J\x1b[Hone\nfive\n';
    expect(tracker.write(fullScreen)).toBe(fullScreen);
    expect(tracker.write(`${eraseLines(3)}one\nsix\n`)).toBe(`${eraseLines(3)}one\nsix\n`);
    // So does any resize: some terminals cut rows off the bottom when they get shorter.
    expect(tracker.write(`${eraseLines(3)}one\nseven\n`)).toBe('\x1b[1A\r\x1b[2Kseven\n');
    tracker.resized();
    expect(tracker.write(`${eraseLines(3)}one\neight\n`)).toBe(`${eraseLines(3)}one\neight\n`);
  });

  it('passes a frame as tall as the terminal through whole', () => {
    const tracker = new FrameTracker(() => 3);
    tracker.write('a\nb\nc\n');
    const ink = `${eraseLines(4)}a\nb\nd\n`;
    expect(tracker.write(ink)).toBe(ink);
  });
});
