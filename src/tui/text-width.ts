// Cutting text to a terminal width, measured in cells (CJK and emoji take two).
import stringWidth from 'string-width';
import { sanitize } from './sanitize.js';

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

export const CUT_MARK = ' [...]';

/** `text` if it fits in `width` cells, else its longest prefix that fits followed by `mark`. */
export function cutToWidth(text: string, width: number, mark = CUT_MARK): string {
  if (stringWidth(text) <= width) return text;
  const room = width - stringWidth(mark);
  if (room <= 0) return mark.trim().slice(0, Math.max(0, width));
  let out = '';
  let used = 0;
  for (const { segment } of segmenter.segment(text)) {
    const w = stringWidth(segment);
    if (used + w > room) break;
    out += segment;
    used += w;
  }
  return out.trimEnd() + mark;
}

/** The first line of a command (without control characters), marked as cut when there is more. */
export function firstLine(command: string): { text: string; more: boolean } {
  const lines = sanitize(command).split('\n');
  return { text: lines[0] ?? '', more: lines.length > 1 };
}

/** A command as one line of at most `width` cells: its first line, cut with ` [...]` when anything is left out. */
export function commandLine(command: string, width: number): string {
  const { text, more } = firstLine(command);
  if (!more) return cutToWidth(text, width);
  const marked = text + CUT_MARK;
  return stringWidth(marked) <= width ? marked : cutToWidth(text, width);
}

export { stringWidth };
