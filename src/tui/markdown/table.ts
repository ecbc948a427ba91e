// GFM tables: columns as wide as their widest cell (measured in terminal cells), narrowed from the widest
// down when the table does not fit, cells cut with `…`; the header is bold and underlined by a rule.
import type { Tokens } from 'marked';
import { inlineSpans } from './inline.js';
import { type Line, cutLine, lineWidth, padLine } from './spans.js';

const SEPARATOR = ' │ ';
const MIN_COLUMN = 3;

function cellLine(cell: Tokens.TableCell, header: boolean): Line {
  const spans = inlineSpans(cell.tokens, header ? { bold: true } : {});
  return spans.map((s) => ({ text: s.text.replace(/\n/g, ' '), style: s.style }));
}

/** Column widths that fit in `width`: the widest column gives up a cell at a time. */
export function fitColumns(natural: number[], width: number): number[] {
  const widths = natural.map((w) => Math.max(1, w));
  const room = width - SEPARATOR.length * (widths.length - 1);
  let total = widths.reduce((a, b) => a + b, 0);
  while (total > room) {
    let widest = 0;
    for (let i = 1; i < widths.length; i += 1) if (widths[i]! > widths[widest]!) widest = i;
    if (widths[widest]! <= MIN_COLUMN) break; // too many columns: the row is cut at the edge instead
    widths[widest]! -= 1;
    total -= 1;
  }
  return widths;
}

export function tableLines(table: Tokens.Table, width: number): Line[] {
  const header = table.header.map((c) => cellLine(c, true));
  const rows = table.rows.map((r) => table.header.map((_, i) => (r[i] ? cellLine(r[i], false) : [])));
  const widths = fitColumns(
    header.map((h, i) => Math.max(lineWidth(h), ...rows.map((r) => lineWidth(r[i]!)))),
    width,
  );
  const sep = { text: SEPARATOR, style: { dimColor: true } };
  const render = (cells: Line[]): Line =>
    cutLine(
      cells.flatMap((cell, i) => [...(i > 0 ? [sep] : []), ...padLine(cutLine(cell, widths[i]!), widths[i]!, table.align[i] ?? null)]),
      width,
    );
  const rule: Line = [{ text: widths.map((w) => '─'.repeat(w)).join('─┼─'), style: { dimColor: true } }];
  return [render(header), cutLine(rule, width, ''), ...rows.map(render)];
}
