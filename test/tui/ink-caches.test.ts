// Ink keeps module-level caches of the texts it measures and wraps, and per-frame caches of the lines it draws.
// corral patches Ink (patches/ink+6.8.0.patch): every one is bounded, and the per-frame ones outlive a frame
// (most lines of the next frame are the same strings), as does each row's string. A live cell whose lines change
// on every frame (a flood) must not grow the heap for good, and a reused row must never be a stale one.
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import stripAnsi from 'strip-ansi';
import { expect, it } from 'vitest';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

// Ink exports none of these; the test reaches them by path, as the patch does.
const inkBuild = dirname(fileURLToPath(import.meta.resolve('ink')));
const load = async <T>(file: string): Promise<T> => ((await import(pathToFileURL(join(inkBuild, file)).href)) as { default: T }).default;
type Output = { write(x: number, y: number, text: string, o: { transformers: unknown[] }): void; get(): { output: string } };
const measureText = await load<(text: string) => { width: number }>('measure-text.js');
const wrapText = await load<(text: string, width: number, wrap: string) => string>('wrap-text.js');
const Output = await load<new (o: { width: number; height: number }) => Output>('output.js');

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** Heap growth over `count` calls, after `warm` calls that take every cache to its limit. */
function growth(warm: number, count: number, call: (n: number) => void): number {
  let n = 0;
  while (n < warm) call(n++);
  const before = heapAfterGc();
  while (n < warm + count) call(n++);
  return heapAfterGc() - before;
}

it('forgets measured and wrapped texts past a bound', () => {
  const line = (n: number): string => `\x1b[2m${n}\x1b[22m ${'y'.repeat(10)}`;
  let last = '';
  const grown = growth(5000, 20_000, (n) => {
    measureText(line(n));
    last = wrapText(line(n), 12, 'wrap');
  });
  expect(stripAnsi(last)).toBe('24999 \nyyyyyyyyyy'); // trim: false keeps the space
  expect(grown).toBeLessThan(4_000_000); // unbounded: 14 MB
});

it('forgets drawn lines past a bound, across frames', () => {
  const ROWS = 20;
  let last = '';
  const grown = growth(200, 1000, (n) => {
    const out = new Output({ width: 30, height: ROWS });
    for (let row = 0; row < ROWS; row++) out.write(0, row, `\x1b[2m${n}.${row}\x1b[22m`, { transformers: [] });
    last = out.get().output;
  });
  expect(stripAnsi(last).split('\n')).toEqual(Array.from({ length: ROWS }, (_, row) => `1199.${row}`));
  expect(grown).toBeLessThan(4_000_000); // unbounded, shared across frames: ~20 MB
});

it('draws a row again when it changes, and blank when it is left empty', () => {
  const draw = (rows: (string | null)[]): string => {
    const out = new Output({ width: 20, height: rows.length });
    rows.forEach((text, y) => text !== null && out.write(0, y, text, { transformers: [] }));
    return stripAnsi(out.get().output);
  };
  expect(draw(['\x1b[1mone\x1b[22m', 'two'])).toBe('one\ntwo');
  expect(draw(['\x1b[1mone\x1b[22m', 'two'])).toBe('one\ntwo');
  expect(draw([null, 'two'])).toBe('\ntwo');
  expect(draw(['\x1b[1monce more\x1b[22m', null])).toBe('once more\n');
});

it('writes a styled row with the codes Ink would, skipping the diff between equal styles and the segmenter for ASCII', async () => {
  const { styledCharsFromTokens, styledCharsToString, tokenize } = await import('@alcalzone/ansi-tokenize');
  const rows = [
    'plain text',
    '\x1b[31mred\x1b[39m then \x1b[1;4mbold underline\x1b[22m still underlined\x1b[24m',
    '\x1b[38;2;10;20;30mrgb\x1b[48;5;200m on pink\x1b[0m reset \x1b[7minverse to the end',
    '\x1b[2mdim\x1b[22m\x1b[1mbold\x1b[22m\x1b[2m\x1b[1mboth\x1b[22m',
    '宽字符 \x1b[32m綠\x1b[39m',
    // Not ASCII and SGR only: the patch's quick path must hand these to the library.
    'cafe\u0301 au lait', // a combining accent joins the ASCII letter before it
    'tab\tand \x1b[2Kerase, \x1b[ unfinished',
    '\x1b[1mbold \x1b[0m\x1b[31mred\x1b[m default \x1b[33;44myellow on blue',
  ];
  const out = new Output({ width: 80, height: rows.length });
  rows.forEach((text, y) => out.write(0, y, text, { transformers: [] }));
  const expected = rows.map((text) => styledCharsToString(styledCharsFromTokens(tokenize(text))).trimEnd());
  expect(out.get().output.split('\n')).toEqual(expected);
});
