// When the writer is done, output that would only scroll out of the scrollback is not parsed, and the screen
// ends exactly as if it had been: same rows of scrollback and screen, same styles, same cursor.
import { expect, it } from 'vitest';
import { HeadlessScreen } from '../../src/exec/headless-screen.js';

const ROWS = 24;

/** A screen that has shown `before`, then got `burst` in terminal-sized reads, all still waiting to be parsed. */
async function screenWith(before: string, burst: Buffer, scrollback: number): Promise<HeadlessScreen> {
  const screen = new HeadlessScreen({ cols: 80, rows: ROWS, scrollback, convertEol: true });
  screen.write(Buffer.from(before));
  await screen.whenIdle();
  for (let i = 0; i < burst.length; i += 4096) screen.write(burst.subarray(i, i + 4096));
  return screen;
}

/** Everything the screen holds: scrollback and screen rows with their styles, and the cursor. */
function everything(screen: HeadlessScreen): unknown {
  const v = screen.view(100_000);
  return { lines: v.lines, cursor: v.cursor, scrollback: v.scrollback };
}

/** The same screen twice: once caught up at the end (the writer is done), once parsing every byte. */
async function bothWays(before: string, burst: Buffer, scrollback = 500): Promise<{ ended: HeadlessScreen; full: HeadlessScreen }> {
  const ended = await screenWith(before, burst, scrollback);
  await ended.whenIdle(true);
  const full = await screenWith(before, burst, scrollback);
  await full.whenIdle(); // not the end: paced, but every byte
  expect(full.droppedBytes).toBe(0);
  return { ended, full };
}

/** Lines `line N xxx…`; with `wrap`, some are wider than the screen. */
const lines = (from: number, to: number, wrap = false): Buffer => {
  const out: string[] = [];
  for (let i = from; i <= to; i++) out.push(`line ${i} ${'x'.repeat(i % (wrap ? 90 : 60))}`);
  return Buffer.from(`${out.join('\n')}\n`);
};

it('skips plain lines that would scroll out, and ends with the same screen', async () => {
  // The cursor at the top of an empty screen, a few rows down, at the bottom; lines that fit, lines that wrap.
  for (const [before, wrap] of [['', false], ['one\ntwo\nthree', false], [`${'\n'.repeat(ROWS + 3)}partial`, false], ['', true]] as const) {
    const burst = lines(1, 4000, wrap);
    const { ended, full } = await bothWays(before, burst);
    expect(everything(ended)).toEqual(everything(full));
    expect(ended.parsedBytes).toBeLessThan(full.parsedBytes / 3);
    expect(ended.view(0).lines.at(-2)?.text).toBe(`line 4000 ${'x'.repeat(4000 % (wrap ? 90 : 60))}`);
    ended.dispose();
    full.dispose();
  }
});

it('parses everything when what it would skip changes the terminal state (styles, modes)', async () => {
  // A colour set halfway and never reset: skipping it would leave the kept lines uncoloured. (Not in the first
  // read: the screen may parse that one before the writer is done, and then the rest is plain text.)
  const colored = Buffer.concat([lines(1, 2000), Buffer.from('\x1b[31m'), lines(2001, 4000)]);
  const { ended, full } = await bothWays('', colored);
  expect(everything(ended)).toEqual(everything(full));
  expect(ended.parsedBytes).toBe(full.parsedBytes);
  expect(ended.view(0).lines[0]!.spans.some((s) => s.style.fg !== undefined)).toBe(true);
  ended.dispose();
  full.dispose();
});

it('parses everything when the lines would not fill the scrollback and the screen', async () => {
  const burst = lines(1, 300);
  const { ended, full } = await bothWays('before\n', burst);
  expect(everything(ended)).toEqual(everything(full));
  expect(ended.droppedBytes).toBe(0);
  ended.dispose();
  full.dispose();
});
