// Rows of a command's screen after a dim prefix column (`  └ `, `    ↳ `), with their colours, cut to the width,
// drawn as one text. A running command's screen changes up to ten times a second in a flood; with a text node
// per row and per coloured span, Ink laid out, measured and wrote each of them for every frame (a 20-row
// screen's frame: ~4.5 ms as nodes, ~3.5 as one text).
import chalk from 'chalk';
import { Text } from 'ink';
import React from 'react';
import type { ScreenLine } from '../src/tui/cells.js';
import { byteSize } from '../src/tui/format.js';
import { screenLineToAnsi } from '../src/tui/screen-ansi.js';
import { stringWidth } from '../src/tui/text-width.js';

/** A screen row, or the marker for the rows left out between a preview's head and tail (`linesLost`: the screen
 * kept only some of the output, `outputBytes` of it in all). */
export type ScreenRow = { line: ScreenLine } | Omitted;
type Omitted = { omitted: number; linesLost?: boolean; outputBytes?: number };

function omittedText(row: Omitted): string {
  if (!row.linesLost) return `… +${row.omitted} lines`;
  const printed = row.outputBytes === undefined ? '' : `${byteSize(row.outputBytes)} printed`;
  if (row.omitted > 0) return `… +${row.omitted} lines kept${printed && ` of ${printed}`}`;
  return `… earlier lines not kept${printed && ` (${printed})`}`;
}

function screenRowsText(rows: readonly ScreenRow[], width: number, prefix: (i: number) => string): string {
  return rows
    .map((row, i) => {
      const lead = prefix(i);
      const body = 'line' in row ? screenLineToAnsi(row.line, Math.max(0, width - stringWidth(lead))) : chalk.dim(omittedText(row));
      return chalk.dim(lead) + body;
    })
    .join('\n');
}

export function ScreenRowsView({ rows, width, prefix }: { rows: readonly ScreenRow[]; width: number; prefix: (i: number) => string }): React.JSX.Element | null {
  if (rows.length === 0) return null;
  return <Text>{screenRowsText(rows, width, prefix)}</Text>;
}
