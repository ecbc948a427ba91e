// Ink redraws its whole frame for every change: it erases every row of the last one and writes the new one.
// A keystroke during a flood changes one row of ~25, so the terminal was sent twenty times what it needed,
// and each byte costs the terminal (and a flooding child sharing the machine) time. This turns such a
// redraw into one that leaves the rows that did not change alone: it moves up to the first changed row,
// rewrites changed rows, steps over equal ones, and erases what is left of a longer old frame.

const ERASE_LINE = '\x1b[2K';
const ERASE_BELOW = '\x1b[J';

/**
 * What to write instead of erasing `before` and writing `after`, with the cursor at the start of the row
 * below `before` (where a frame ending in a newline leaves it) and left at the start of the row below `after`.
 * Both are the frames' rows as written; the frame must fit the screen (the cursor cannot go up past its top).
 */
export function redrawChanged(before: readonly string[], after: readonly string[]): string {
  let first = 0;
  while (first < before.length && first < after.length && before[first] === after[first]) first++;
  if (first === before.length && first === after.length) return '';
  const up = before.length - first;
  let out = up > 0 ? `\x1b[${up}A\r` : '\r';
  for (let i = first; i < after.length; i++) {
    out += i < before.length && before[i] === after[i] ? '\n' : `${ERASE_LINE}${after[i]}\n`;
  }
  if (after.length < before.length) out += ERASE_BELOW;
  return out;
}
