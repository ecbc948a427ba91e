// Styled text as the Markdown renderer produces it: lines of spans, already cut to the width they are shown
// at, so that a view can count its rows before drawing them (the live region's height budget needs that).
import { stringWidth } from '../text-width.js';

/** The Ink <Text> props a span may carry. */
export interface SpanStyle {
  color?: string;
  bold?: boolean;
  italic?: boolean;
  dimColor?: boolean;
  underline?: boolean;
  strikethrough?: boolean;
}

export interface Span {
  text: string;
  style: SpanStyle;
}

/** One terminal row. An empty array is a blank row. */
export type Line = Span[];

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

export function graphemes(text: string): string[] {
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

export function lineWidth(line: Line): number {
  let w = 0;
  for (const span of line) w += stringWidth(span.text);
  return w;
}

/** The line cut to `width` cells, ending in `mark` when anything was left out. */
export function cutLine(line: Line, width: number, mark = '…'): Line {
  if (lineWidth(line) <= width) return line;
  const room = Math.max(0, width - stringWidth(mark));
  const out: Line = [];
  let used = 0;
  for (const span of line) {
    let text = '';
    for (const g of graphemes(span.text)) {
      const w = stringWidth(g);
      if (used + w > room) break;
      text += g;
      used += w;
    }
    if (text) out.push({ text, style: span.style });
    if (used >= room || text.length < span.text.length) {
      out.push({ text: mark, style: span.style });
      return out;
    }
  }
  return out;
}

/** The line padded with spaces to `width` cells, placed as `align` says. */
export function padLine(line: Line, width: number, align: 'left' | 'center' | 'right' | null): Line {
  const gap = Math.max(0, width - lineWidth(line));
  if (gap === 0) return line;
  const pad = (n: number): Line => (n > 0 ? [{ text: ' '.repeat(n), style: {} }] : []);
  if (align === 'right') return [...pad(gap), ...line];
  if (align === 'center') return [...pad(Math.floor(gap / 2)), ...line, ...pad(gap - Math.floor(gap / 2))];
  return [...line, ...pad(gap)];
}

/** Puts `first` before the first line and `rest` before the others (list markers, quote bars, bullets). */
export function prefixLines(lines: Line[], first: Line, rest: Line): Line[] {
  return lines.map((line, i) => [...(i === 0 ? first : rest), ...line]);
}

/** Adds `style` to every span (a quote is dim throughout). */
export function restyle(lines: Line[], style: SpanStyle): Line[] {
  return lines.map((line) => line.map((s) => ({ text: s.text, style: { ...s.style, ...style } })));
}
