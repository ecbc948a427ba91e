// Line editing for the composer, as pure functions of (text, cursor). Cursor positions are UTF-16 indices
// that always sit on grapheme boundaries.

export interface Edit {
  text: string;
  cursor: number;
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

function prevBoundary(text: string, cursor: number): number {
  let prev = 0;
  for (const { index } of segmenter.segment(text)) {
    if (index >= cursor) break;
    prev = index;
  }
  return prev;
}

function nextBoundary(text: string, cursor: number): number {
  for (const { index, segment } of segmenter.segment(text)) {
    if (index >= cursor) return index + segment.length;
  }
  return text.length;
}

export function insert(e: Edit, input: string): Edit {
  return { text: e.text.slice(0, e.cursor) + input + e.text.slice(e.cursor), cursor: e.cursor + input.length };
}

export function backspace(e: Edit): Edit {
  if (e.cursor === 0) return e;
  const at = prevBoundary(e.text, e.cursor);
  return { text: e.text.slice(0, at) + e.text.slice(e.cursor), cursor: at };
}

export function deleteForward(e: Edit): Edit {
  if (e.cursor >= e.text.length) return e;
  const to = nextBoundary(e.text, e.cursor);
  return { text: e.text.slice(0, e.cursor) + e.text.slice(to), cursor: e.cursor };
}

export function left(e: Edit): Edit {
  return { ...e, cursor: prevBoundary(e.text, e.cursor) };
}

export function right(e: Edit): Edit {
  return { ...e, cursor: nextBoundary(e.text, e.cursor) };
}

export function home(e: Edit): Edit {
  return { ...e, cursor: 0 };
}

export function end(e: Edit): Edit {
  return { ...e, cursor: e.text.length };
}

/** Ctrl+U: delete everything before the cursor. */
export function killBefore(e: Edit): Edit {
  return { text: e.text.slice(e.cursor), cursor: 0 };
}

/** Ctrl+K: delete everything after the cursor. */
export function killAfter(e: Edit): Edit {
  return { text: e.text.slice(0, e.cursor), cursor: e.cursor };
}

/** Ctrl+W: delete the word before the cursor (and the spaces after it). */
export function deleteWordBefore(e: Edit): Edit {
  let at = e.cursor;
  while (at > 0 && /\s/.test(e.text[at - 1]!)) at--;
  while (at > 0 && !/\s/.test(e.text[at - 1]!)) at--;
  return { text: e.text.slice(0, at) + e.text.slice(e.cursor), cursor: at };
}
