// Word wrapping of styled text. A word that runs across spans (`**bold**,`) stays whole; a word wider than the
// line is broken between characters (never inside one); spaces where a line breaks are dropped, but the
// leading spaces of a source line are kept (code indentation).
import { stringWidth } from '../text-width.js';
import { type Line, type Span, graphemes } from './spans.js';

interface Atom {
  spans: Span[];
  width: number;
  space: boolean;
}

/** Splits one source line into runs of spaces and runs of anything else, each keeping its styles. */
function atoms(spans: Span[]): Atom[] {
  const out: Atom[] = [];
  for (const span of spans) {
    for (const piece of span.text.split(/( +)/)) {
      if (piece === '') continue;
      const space = piece.startsWith(' ');
      const part: Span = { text: piece, style: span.style };
      const last = out.at(-1);
      if (last && last.space === space && !space) {
        last.spans.push(part);
        last.width += stringWidth(piece);
      } else out.push({ spans: [part], width: stringWidth(piece), space });
    }
  }
  return out;
}

/** Breaks an atom wider than `width` into pieces that fit, at character boundaries. */
function breakAtom(atom: Atom, width: number): Atom[] {
  const pieces: Atom[] = [];
  let cur: Atom = { spans: [], width: 0, space: false };
  for (const span of atom.spans) {
    for (const g of graphemes(span.text)) {
      const w = stringWidth(g);
      if (cur.width + w > width && cur.width > 0) {
        pieces.push(cur);
        cur = { spans: [], width: 0, space: false };
      }
      const last = cur.spans.at(-1);
      if (last && last.style === span.style) last.text += g;
      else cur.spans.push({ text: g, style: span.style });
      cur.width += w;
    }
  }
  if (cur.width > 0) pieces.push(cur);
  return pieces;
}

function wrapLine(spans: Span[], width: number): Line[] {
  const lines: Line[] = [];
  let line: Span[] = [];
  let used = 0;
  let pendingSpace: Atom | null = null;
  const newLine = (): void => {
    lines.push(line);
    line = [];
    used = 0;
    pendingSpace = null;
  };
  const put = (atom: Atom): void => {
    line.push(...atom.spans.map((s) => ({ ...s })));
    used += atom.width;
  };
  for (const atom of atoms(spans)) {
    if (atom.space) {
      // Spaces are placed only once a word follows them on the same line.
      if (lines.length === 0 && line.length === 0) put(atom);
      else if (line.length > 0) pendingSpace = atom;
      continue;
    }
    const space: Atom | null = pendingSpace;
    const spaceWidth = space?.width ?? 0;
    if (used + spaceWidth + atom.width <= width) {
      if (space) put(space);
      pendingSpace = null;
      put(atom);
      continue;
    }
    if (used > 0) newLine();
    pendingSpace = null;
    if (atom.width <= width) put(atom);
    else {
      const pieces = breakAtom(atom, Math.max(1, width));
      pieces.forEach((p, i) => {
        if (i > 0) newLine();
        put(p);
      });
    }
  }
  lines.push(line);
  return lines.map(merge);
}

/** Joins neighbouring spans of the same style (fewer Ink nodes). */
function merge(line: Line): Line {
  const out: Line = [];
  for (const s of line) {
    const last = out.at(-1);
    if (last && last.style === s.style) last.text += s.text;
    else out.push({ ...s });
  }
  return out;
}

/** Wraps styled text to `width` cells; `\n` in a span starts a new line. */
export function wrapSpans(spans: Span[], width: number): Line[] {
  const sourceLines: Span[][] = [[]];
  for (const span of spans) {
    span.text.split('\n').forEach((part, i) => {
      if (i > 0) sourceLines.push([]);
      if (part !== '') sourceLines.at(-1)!.push({ text: part, style: span.style });
    });
  }
  return sourceLines.flatMap((l) => wrapLine(l, Math.max(1, width)));
}

/** Plain text wrapped to `width`. */
export function wrapText(text: string, width: number, style: Span['style'] = {}): Line[] {
  return wrapSpans([{ text, style }], width);
}
