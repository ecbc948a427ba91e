// Styled lines as terminal text (SGR sequences), for printing finished agent messages straight into the
// scrollback. Each span is styled as Ink's <Text> with the same props would be, so what is printed looks like
// what the component shows (test/tui/transcript-print.test.tsx compares the two).
import chalk, { type ChalkInstance } from 'chalk';
import type { Line, SpanStyle } from './spans.js';

const ANSI256 = /^ansi256\((\d+)\)$/;

function colored(c: ChalkInstance, color: string): ChalkInstance {
  if (color.startsWith('#')) return c.hex(color);
  const n = ANSI256.exec(color);
  if (n) return c.ansi256(Number(n[1]));
  const named = (c as unknown as Record<string, ChalkInstance | undefined>)[color];
  return typeof named === 'function' ? named : c;
}

const cache = new Map<string, ChalkInstance>();

function styler(style: SpanStyle): ChalkInstance {
  const key = `${style.color ?? ''}|${style.bold ? 'b' : ''}${style.italic ? 'i' : ''}${style.dimColor ? 'd' : ''}${style.underline ? 'u' : ''}${style.strikethrough ? 's' : ''}`;
  let c = cache.get(key);
  if (!c) {
    c = chalk;
    if (style.color) c = colored(c, style.color);
    if (style.bold) c = c.bold;
    if (style.italic) c = c.italic;
    if (style.underline) c = c.underline;
    if (style.strikethrough) c = c.strikethrough;
    if (style.dimColor) c = c.dim;
    cache.set(key, c);
  }
  return c;
}

function spanText(text: string, style: SpanStyle): string {
  const plain = style.color === undefined && !style.bold && !style.italic && !style.dimColor && !style.underline && !style.strikethrough;
  return plain ? text : styler(style)(text);
}

/** The lines, each ended by a newline; trailing blanks are dropped as Ink drops them. */
export function linesToAnsi(lines: readonly Line[]): string {
  let out = '';
  for (const line of lines) {
    let row = '';
    for (const span of line) row += spanText(span.text, span.style);
    out += `${row.trimEnd()}\n`;
  }
  return out;
}
