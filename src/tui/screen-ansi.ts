// Screen lines (styled cells read off a terminal emulator) as terminal text (SGR sequences), for drawing an
// attached terminal straight to the screen. Colours map as components/style.ts maps them for Ink.
import chalk, { type ChalkInstance } from 'chalk';
import type { ScreenLine } from './cells.js';
import { stringWidth } from './text-width.js';

type Style = ScreenLine['spans'][number]['style'];
type Color = NonNullable<Style['fg']>;

const NAMED = [
  'black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white',
  'gray', 'redBright', 'greenBright', 'yellowBright', 'blueBright', 'magentaBright', 'cyanBright', 'whiteBright',
] as const;

function fg(c: ChalkInstance, color: Color): ChalkInstance {
  if (color.mode === 'rgb') return c.hex(`#${color.rgb.toString(16).padStart(6, '0')}`);
  const named = NAMED[color.index];
  return named ? c[named] : c.ansi256(color.index);
}

function bg(c: ChalkInstance, color: Color): ChalkInstance {
  if (color.mode === 'rgb') return c.bgHex(`#${color.rgb.toString(16).padStart(6, '0')}`);
  const named = NAMED[color.index];
  if (!named) return c.bgAnsi256(color.index);
  return c[`bg${named[0]!.toUpperCase()}${named.slice(1)}` as 'bgRed'];
}

const cache = new Map<string, ChalkInstance | null>();

function styler(style: Style): ChalkInstance | null {
  const key = JSON.stringify(style);
  let c = cache.get(key);
  if (c !== undefined) return c;
  let s: ChalkInstance | null = null;
  if (Object.keys(style).length > 0) {
    s = chalk;
    if (style.fg) s = fg(s, style.fg);
    if (style.bg) s = bg(s, style.bg);
    if (style.bold) s = s.bold;
    if (style.dim) s = s.dim;
    if (style.italic) s = s.italic;
    if (style.underline) s = s.underline;
    if (style.inverse) s = s.inverse;
    if (style.strikethrough) s = s.strikethrough;
  }
  if (cache.size > 1000) cache.clear(); // a program cycling through true colours must not grow it forever
  cache.set(key, s);
  c = s;
  return c;
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** One line as SGR-styled text, cut to `width` columns. */
export function screenLineToAnsi(line: ScreenLine, width: number): string {
  let out = '';
  let used = 0;
  for (const span of line.spans) {
    let text = span.text;
    const w = stringWidth(text);
    const cut = used + w > width;
    if (cut) {
      text = '';
      for (const { segment } of segmenter.segment(span.text)) {
        const sw = stringWidth(segment);
        if (used + sw > width) break;
        text += segment;
        used += sw;
      }
    } else used += w;
    const s = styler(span.style);
    if (text !== '') out += s ? s(text) : text;
    if (cut) break;
  }
  return out;
}
